"""Write: merged articles -> rows -> schema-checked Parquet shards and their checksums."""
