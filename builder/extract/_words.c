/* Word-level scans of text that Python's own tools do slowly, each with an exact Python twin (builder/extract/words.py)
 * that is used where this module was not built, and that the tests compare it to (tests/extract/test_words.py).
 *
 * word_count: the articles' `word_count` column and its check, `len(text.split())` without making the list of words,
 * which is a large share of the work of making and checking an article row. Whitespace is what `str.split()` splits
 * on (Py_UNICODE_ISSPACE), so the count is always the same as Python's.
 *
 * may_hold_ordinal: whether a text holds an ASCII digit, a space and `st`, `nd`, `rd` or `th` (`80 th`), the only
 * place a flattened ordinal can be (parse/repairs.py). The regular expression `[0-9] (?:st|nd|rd|th)` has no literal
 * to look for, so `re` tries its character class at every position of every body, for the few bodies that hold an
 * ordinal; this scan is an order of magnitude faster. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* Runs SCAN(CHAR_TYPE) over `data` with the character width of the str `text` (one, two or four bytes). */
#define FOR_THE_WIDTH_OF(text, SCAN)                                                                                   \
    switch (PyUnicode_KIND(text)) {                                                                                    \
    case PyUnicode_1BYTE_KIND:                                                                                         \
        SCAN(Py_UCS1)                                                                                                  \
        break;                                                                                                         \
    case PyUnicode_2BYTE_KIND:                                                                                         \
        SCAN(Py_UCS2)                                                                                                  \
        break;                                                                                                         \
    default:                                                                                                           \
        SCAN(Py_UCS4)                                                                                                  \
        break;                                                                                                         \
    }

static int is_str(PyObject *text, const char *function) {
    if (PyUnicode_Check(text))
        return 1;
    PyErr_Format(PyExc_TypeError, "%s() takes a str, not %.100s", function, Py_TYPE(text)->tp_name);
    return 0;
}

#define COUNT_WORDS(CHAR_TYPE)                                                                                         \
    {                                                                                                                  \
        const CHAR_TYPE *chars = (const CHAR_TYPE *)data;                                                              \
        for (Py_ssize_t i = 0; i < length; i++) {                                                                      \
            int space = Py_UNICODE_ISSPACE(chars[i]);                                                                  \
            words += !space & !in_word;                                                                                \
            in_word = !space;                                                                                          \
        }                                                                                                              \
    }

static PyObject *word_count(PyObject *module, PyObject *text) {
    if (!is_str(text, "word_count"))
        return NULL;
    Py_ssize_t length = PyUnicode_GET_LENGTH(text), words = 0;
    const void *data = PyUnicode_DATA(text);
    int in_word = 0;
    FOR_THE_WIDTH_OF(text, COUNT_WORDS)
    return PyLong_FromSsize_t(words);
}

#define FIND_ORDINAL(CHAR_TYPE)                                                                                        \
    {                                                                                                                  \
        const CHAR_TYPE *chars = (const CHAR_TYPE *)data;                                                              \
        for (Py_ssize_t i = 1; i + 2 < length; i++) {                                                                  \
            if (chars[i] != ' ' || chars[i - 1] < '0' || chars[i - 1] > '9')                                           \
                continue;                                                                                              \
            Py_UCS4 first = chars[i + 1], second = chars[i + 2];                                                       \
            if ((first == 's' && second == 't') || (first == 'n' && second == 'd') || (first == 'r' && second == 'd') || \
                (first == 't' && second == 'h'))                                                                       \
                Py_RETURN_TRUE;                                                                                        \
        }                                                                                                              \
    }

static PyObject *may_hold_ordinal(PyObject *module, PyObject *text) {
    if (!is_str(text, "may_hold_ordinal"))
        return NULL;
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    const void *data = PyUnicode_DATA(text);
    FOR_THE_WIDTH_OF(text, FIND_ORDINAL)
    Py_RETURN_FALSE;
}

static PyMethodDef methods[] = {
    {"word_count", word_count, METH_O, "The number of whitespace-separated words of a str: len(text.split())."},
    {"may_hold_ordinal", may_hold_ordinal, METH_O,
     "Whether a str holds an ASCII digit, a space and st, nd, rd or th: where a flattened ordinal can be."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef words_module = {PyModuleDef_HEAD_INIT, "_words", "Word-level scans of text, quickly.", -1, methods};

PyMODINIT_FUNC PyInit__words(void) { return PyModule_Create(&words_module); }
