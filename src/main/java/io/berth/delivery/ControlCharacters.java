package io.berth.delivery;

/**
 * Makes text that came from a record safe to write into a log line or a Kafka header.
 *
 * <p>Why: a run id, action or key is chosen by whoever wrote the record. A newline in it would start
 * a forged log line; a bidirectional override would make a line read differently from what it says.
 * So control characters, Unicode line and paragraph separators, invisible format characters and lone
 * surrogates become visible escapes ({@code \n}, {@code \r}, {@code \t}, {@code \u001B}), and a
 * backslash is doubled, so that an escape written in the record cannot pass for one made here.
 * Everything else, non-ASCII letters included, stays as it is.
 */
public final class ControlCharacters {

    private ControlCharacters() {
    }

    /** {@code value}'s text with every control character escaped; {@code "null"} for null. */
    public static String escape(Object value) {
        String text = String.valueOf(value);
        if (text.codePoints().noneMatch(ControlCharacters::mustEscape)) {
            return text;
        }
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(codePoint -> {
            if (!mustEscape(codePoint)) {
                escaped.appendCodePoint(codePoint);
                return;
            }
            switch (codePoint) {
                case '\\' -> escaped.append("\\\\");
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                case '\t' -> escaped.append("\\t");
                default -> {
                    for (char unit : Character.toChars(codePoint)) {
                        escaped.append(String.format("\\u%04X", (int) unit));
                    }
                }
            }
        });
        return escaped.toString();
    }

    private static boolean mustEscape(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SURROGATE -> true;
            default -> codePoint == '\\';
        };
    }
}
