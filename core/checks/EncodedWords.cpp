#include "EncodedWords.h"

namespace {

constexpr qsizetype kMaxEncodedWord = 75;

bool isBlank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool isEspecialOrControl(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u >= 0x7f || QByteArrayView("()<>@,;:\"/[]?.=").contains(c);
}

struct Candidate
{
    qsizetype begin;
    qsizetype end; // one past "?="
    QByteArrayView charset;
    QByteArrayView encoding;
    QByteArrayView text;
};

// The encoded-word starting at `begin` ("=?"), if the bytes up to a "?=" form one without
// white space; text that merely contains "=?" is no encoded-word.
bool readCandidate(QByteArrayView value, qsizetype begin, Candidate *out)
{
    qsizetype marks[3];
    int found = 0;
    for (qsizetype i = begin + 2; i < value.size() && found < 3; ++i) {
        if (isBlank(value[i]))
            return false;
        if (value[i] == '?' && (found < 2 || (i + 1 < value.size() && value[i + 1] == '=')))
            marks[found++] = i;
    }
    if (found < 3)
        return false;
    *out = {begin, marks[2] + 2, value.sliced(begin + 2, marks[0] - begin - 2),
            value.sliced(marks[0] + 1, marks[1] - marks[0] - 1),
            value.sliced(marks[1] + 1, marks[2] - marks[1] - 1)};
    return true;
}

QString syntaxProblem(const Candidate &word)
{
    // RFC 2231 5 lets a language follow the charset: "us-ascii*en".
    const QByteArrayView charset =
        word.charset.contains('*') ? word.charset.first(word.charset.indexOf('*')) : word.charset;
    if (charset.isEmpty())
        return QStringLiteral("no charset");
    for (char c : charset) {
        if (isEspecialOrControl(c))
            return QStringLiteral("'%1' in the charset name").arg(QChar(c));
    }
    if (word.encoding.size() != 1 || !QByteArrayView("BbQq").contains(word.encoding[0]))
        return QStringLiteral("encoding '%1' is neither B nor Q")
            .arg(QString::fromLatin1(word.encoding));
    const bool base64 = (word.encoding[0] | 0x20) == 'b';
    if (base64) {
        for (char c : word.text) {
            const bool alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                                  (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=';
            if (!alphabet)
                return QStringLiteral("'%1' is not base64").arg(QChar(c));
        }
        if (word.text.size() % 4 != 0)
            return QStringLiteral("base64 text of %1 characters (not a multiple of 4)")
                .arg(word.text.size());
        return {};
    }
    for (qsizetype i = 0; i < word.text.size(); ++i) {
        const auto u = static_cast<unsigned char>(word.text[i]);
        if (u <= 0x20 || u >= 0x7f)
            return QStringLiteral("byte 0x%1 in Q-encoded text").arg(u, 2, 16, QLatin1Char('0'));
        if (u == '=' && (i + 2 >= word.text.size() ||
                         !QByteArrayView("0123456789ABCDEFabcdef").contains(word.text[i + 1]) ||
                         !QByteArrayView("0123456789ABCDEFabcdef").contains(word.text[i + 2])))
            return QStringLiteral("'=' not followed by two hex digits");
    }
    return {};
}

// Where an encoded-word stands in a structured value: tracks quotes, comments and the
// addr-spec parts (inside <...> or a word joined to '@').
class Context
{
public:
    bool inQuotes = false;
    int commentDepth = 0;
    bool inAngle = false;

    void step(char c)
    {
        if (m_escaped) {
            m_escaped = false;
            return;
        }
        if (c == '\\' && (inQuotes || commentDepth > 0)) {
            m_escaped = true;
        } else if (inQuotes) {
            inQuotes = c != '"';
        } else if (c == '(') {
            ++commentDepth;
        } else if (c == ')' && commentDepth > 0) {
            --commentDepth;
        } else if (commentDepth == 0) {
            if (c == '"')
                inQuotes = true;
            else if (c == '<')
                inAngle = true;
            else if (c == '>')
                inAngle = false;
        }
    }

private:
    bool m_escaped = false;
};

bool separated(QByteArrayView value, const Candidate &word, EncodedWordPlace place)
{
    const auto delimiter = [place](char c) {
        return isBlank(c) ||
               (place != EncodedWordPlace::Text && QByteArrayView("()<>,;:\"").contains(c));
    };
    return (word.begin == 0 || delimiter(value[word.begin - 1])) &&
           (word.end >= value.size() || delimiter(value[word.end]));
}

} // namespace

QList<EncodedWordProblem> checkEncodedWords(QByteArrayView value, EncodedWordPlace place)
{
    QList<EncodedWordProblem> problems;
    Context context;
    using Kind = EncodedWordProblem::Kind;
    for (qsizetype i = 0; i < value.size(); ++i) {
        Candidate word;
        if (value[i] != '=' || i + 1 >= value.size() || value[i + 1] != '?' ||
            !readCandidate(value, i, &word)) {
            context.step(value[i]);
            continue;
        }
        const qsizetype length = word.end - word.begin;
        if (length > kMaxEncodedWord)
            problems.append(
                {Kind::TooLong, i,
                 QStringLiteral("an encoded-word of %1 characters (at most 75)").arg(length)});
        if (const QString problem = syntaxProblem(word); !problem.isEmpty())
            problems.append(
                {Kind::Syntax, i, QStringLiteral("malformed encoded-word: %1").arg(problem)});
        const bool inComment = context.commentDepth > 0;
        const bool structured = place != EncodedWordPlace::Text;
        if (structured && context.inQuotes) {
            problems.append({Kind::InQuotes, i,
                             QStringLiteral("an encoded-word inside a quoted string is not "
                                            "decoded")});
        } else if (structured && !inComment &&
                   (place != EncodedWordPlace::Address || context.inAngle ||
                    (word.end < value.size() && value[word.end] == '@'))) {
            problems.append({Kind::Misplaced, i,
                             place == EncodedWordPlace::Address
                                 ? QStringLiteral("an encoded-word in an address")
                                 : QStringLiteral("an encoded-word outside a comment of a "
                                                  "structured field")});
        } else if (!separated(value, word, place)) {
            problems.append({Kind::Misplaced, i,
                             QStringLiteral("an encoded-word joined to other text without "
                                            "white space")});
        }
        for (qsizetype k = word.begin; k < word.end; ++k)
            context.step(value[k]);
        i = word.end - 1;
    }
    return problems;
}
