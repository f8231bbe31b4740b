package io.berth.webhook;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Writes a {@link JsonNode} exactly as Python's {@code json.dumps(obj, separators=(",", ":"),
 * ensure_ascii=...)} would write the same document.
 *
 * <p>Why byte for byte: Port signs the compact JSON of each run as Python writes it (non-ASCII as
 * itself), and port-agent signs the bodies it sends onwards the same way (non-ASCII escaped). Any
 * difference, a float written {@code 1.0E-7} instead of {@code 1e-07} or an {@code é} escaped, and
 * the signature no longer matches.
 */
public final class PythonJson {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private PythonJson() {
    }

    /**
     * @param ensureAscii true: every character outside {@code ' '..'~'} written as {@code \\uxxxx}
     *        (Python's default); false: only what JSON requires is escaped
     */
    public static String write(JsonNode node, boolean ensureAscii) {
        Objects.requireNonNull(node, "node");
        StringBuilder out = new StringBuilder(256);
        write(node, ensureAscii, out);
        return out.toString();
    }

    private static void write(JsonNode node, boolean ensureAscii, StringBuilder out) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                out.append('{');
                boolean first = true;
                for (var field : node.properties()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    string(field.getKey(), ensureAscii, out);
                    out.append(':');
                    write(field.getValue(), ensureAscii, out);
                }
                out.append('}');
            }
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(node.get(i), ensureAscii, out);
                }
                out.append(']');
            }
            case STRING -> string(node.textValue(), ensureAscii, out);
            case NUMBER -> out.append(number(node));
            case BOOLEAN -> out.append(node.booleanValue() ? "true" : "false");
            case NULL, MISSING -> out.append("null");
            // Python's json cannot write bytes or arbitrary objects either.
            case BINARY, POJO -> throw new IllegalArgumentException("Not JSON: " + node.getNodeType());
        }
    }

    /** A number as Python writes it: integers in full, floats as {@code repr(float)}. */
    static String number(JsonNode node) {
        if (node.isIntegralNumber()) {
            return node.bigIntegerValue().toString();
        }
        // Python parses every JSON number with a fraction or exponent into a float (a double).
        return floatRepr(node.doubleValue());
    }

    /**
     * Python's {@code repr(float)}: the shortest digits that read back as the same double, in
     * positional notation when the decimal exponent is in [-4, 16), in scientific notation
     * ({@code 1e-07}, {@code 1.5e+16}) otherwise. Java 17's {@link Double#toString} does not always
     * give the shortest digits, so they are searched for here.
     */
    static String floatRepr(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        if (value == 0.0) {
            return (1.0 / value) < 0 ? "-0.0" : "0.0";
        }
        BigDecimal shortest = shortestDigits(Math.abs(value));
        String digits = shortest.unscaledValue().toString();
        // Strip trailing zeros of the digit string, keeping the decimal point position.
        int end = digits.length();
        while (end > 1 && digits.charAt(end - 1) == '0') {
            end--;
        }
        int decimalPoint = digits.length() - shortest.scale(); // digits before the point
        digits = digits.substring(0, end);
        StringBuilder out = new StringBuilder(24);
        if (value < 0) {
            out.append('-');
        }
        if (decimalPoint > -4 && decimalPoint <= 16) {
            if (decimalPoint <= 0) {
                out.append("0.");
                out.append("0".repeat(-decimalPoint)).append(digits);
            } else if (decimalPoint >= digits.length()) {
                out.append(digits).append("0".repeat(decimalPoint - digits.length())).append(".0");
            } else {
                out.append(digits, 0, decimalPoint).append('.').append(digits, decimalPoint, digits.length());
            }
        } else {
            int exponent = decimalPoint - 1;
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            out.append('e').append(exponent < 0 ? '-' : '+');
            int magnitude = Math.abs(exponent);
            if (magnitude < 10) {
                out.append('0');
            }
            out.append(magnitude);
        }
        return out.toString();
    }

    /**
     * The decimal with the fewest significant digits that reads back as {@code value}; among those
     * of equal length, the closest to it (what David Gay's algorithm, used by Python, returns).
     * Rounding up and down are both tried because near a power of two the interval of decimals that
     * read back as {@code value} is not symmetric.
     */
    private static BigDecimal shortestDigits(double value) {
        BigDecimal exact = new BigDecimal(value);
        for (int precision = 1; precision <= 17; precision++) {
            BigDecimal best = null;
            for (RoundingMode mode : new RoundingMode[] {RoundingMode.HALF_EVEN, RoundingMode.FLOOR,
                    RoundingMode.CEILING}) {
                BigDecimal candidate = exact.round(new MathContext(precision, mode));
                if (candidate.doubleValue() == value && (best == null
                        || candidate.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0)) {
                    best = candidate;
                }
            }
            if (best != null) {
                return best;
            }
        }
        return exact.round(MathContext.DECIMAL64);
    }

    private static void string(String value, boolean ensureAscii, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    // ensure_ascii escapes everything outside ' '..'~' (DEL included), one UTF-16
                    // unit at a time, so astral characters come out as surrogate pairs.
                    if (c < 0x20 || (ensureAscii && c > 0x7e)) {
                        out.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf])
                                .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
