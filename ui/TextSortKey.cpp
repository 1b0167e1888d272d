#include "TextSortKey.h"

#include <QChar>

TextSortKey::TextSortKey(QStringView text, qsizetype from)
{
    // As QString::compare folds: a low surrogate after a high one is folded as part of its
    // code point; every other unit on its own.
    char32_t last = from > 0 && from <= text.size() ? text[from - 1].unicode() : 0;
    for (qsizetype i = 0; from + i < text.size() && i < kUnits; ++i) {
        const char16_t unit = text[from + i].unicode();
        char32_t codePoint = unit;
        if (QChar::isLowSurrogate(codePoint) && QChar::isHighSurrogate(last))
            codePoint = QChar::surrogateToUcs4(char16_t(last), unit);
        last = unit;
        const char32_t folded = QChar::toCaseFolded(codePoint);
        const char16_t key =
            QChar::requiresSurrogates(codePoint) ? QChar::lowSurrogate(folded) : char16_t(folded);
        m_words[size_t(i / 4)] |= quint64(key) << (16 * (3 - i % 4));
    }
}
