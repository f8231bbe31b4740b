package io.berth.delivery;

import java.util.Arrays;

import com.fasterxml.jackson.core.StreamReadConstraints;

/**
 * Whether UTF-8 bytes are exactly one JSON value (RFC 8259), surrounding whitespace allowed, as
 * Jackson's parser with its default {@link StreamReadConstraints} would accept them: the same
 * grammar, the same nesting, number and name limits. It reads the bytes once and builds nothing, so
 * a batched bridge record costs a scan, not a parser, its buffers and the compiled code of both.
 * The same scan checks UTF-8 as {@link JsonRecords#firstMalformedUtf8Byte} does: bytes of 0x80 and
 * above may only be characters within strings, each well-formed, and a byte order mark is no
 * value's first byte.
 *
 * <pre>
 *  value  = ws ( object | array | string | number | true | false | null ) ws
 *  object = "{" ws [ string ws ":" value *( "," ws string ws ":" value ) ] "}"
 *  array  = "[" value *( "," value ) "]"  |  "[" ws "]"
 *  string = '"' *( 0x20-0x21 | 0x23-0x5B | 0x5D-0x7F | UTF-8 character | "\" ( ["\/bfnrt] | "u" 4HEX ) ) '"'
 *  number = [ "-" ] ( "0" | 1-9 *DIGIT ) [ "." 1*DIGIT ] [ ( "e" | "E" ) [ "+" | "-" ] 1*DIGIT ]
 *  ws     = *( SP | HTAB | LF | CR )
 * </pre>
 *
 * Containers are followed without recursion: one bit per open level says object or array, so
 * that a deeply nested value cannot overflow the stack before the nesting limit refuses it.
 */
final class OneJsonValue {

    private static final int FAIL = -1;
    private static final StreamReadConstraints LIMITS = StreamReadConstraints.defaults();

    private final byte[] b;
    /** Bit {@code d} set: the container open at depth {@code d} (from 0) is an object. */
    private long[] objects = new long[1];
    private int depth;

    private OneJsonValue(byte[] bytes) {
        this.b = bytes;
    }

    static boolean in(byte[] bytes) {
        return bytes != null && new OneJsonValue(bytes).read();
    }

    private boolean read() {
        int i = whitespace(0);
        while (true) {
            // A value starts at i.
            if (i >= b.length) {
                return false;
            }
            byte c = b[i];
            if (c == '{' || c == '[') {
                if (!open(c == '{')) {
                    return false;
                }
                i = whitespace(i + 1);
                if (i < b.length && b[i] == (c == '{' ? '}' : ']')) {
                    depth--;
                    i++;
                } else {
                    i = c == '{' ? member(i) : i;
                    if (i == FAIL) {
                        return false;
                    }
                    continue; // the first value of the container
                }
            } else {
                i = scalar(i);
                if (i == FAIL) {
                    return false;
                }
            }
            // A value ended before i: close what it ends, then find the next value or the end.
            while (true) {
                i = whitespace(i);
                if (depth == 0) {
                    return i == b.length;
                }
                if (i >= b.length) {
                    return false;
                }
                boolean inObject = inObject();
                if (b[i] == ',') {
                    i = whitespace(i + 1);
                    i = inObject ? member(i) : i;
                    if (i == FAIL) {
                        return false;
                    }
                    break; // the next value of the container
                }
                if (b[i] != (inObject ? '}' : ']')) {
                    return false;
                }
                depth--;
                i++;
            }
        }
    }

    private boolean open(boolean object) {
        if (depth >= LIMITS.getMaxNestingDepth()) {
            return false;
        }
        int word = depth >>> 6;
        if (word == objects.length) {
            objects = Arrays.copyOf(objects, objects.length * 2);
        }
        long bit = 1L << (depth & 63);
        objects[word] = object ? objects[word] | bit : objects[word] & ~bit;
        depth++;
        return true;
    }

    private boolean inObject() {
        int top = depth - 1;
        return (objects[top >>> 6] & (1L << (top & 63))) != 0;
    }

    /** A member's name and colon from {@code i}: where its value starts, or FAIL. */
    private int member(int i) {
        if (i >= b.length || b[i] != '"') {
            return FAIL;
        }
        int end = string(i);
        if (end == FAIL || end - i - 2 > LIMITS.getMaxNameLength()) {
            return FAIL;
        }
        end = whitespace(end);
        return end < b.length && b[end] == ':' ? whitespace(end + 1) : FAIL;
    }

    /** A string, number or literal from {@code i}: where it ends, or FAIL. */
    private int scalar(int i) {
        return switch (b[i]) {
            case '"' -> string(i);
            case 't' -> literal(i, "true");
            case 'f' -> literal(i, "false");
            case 'n' -> literal(i, "null");
            default -> number(i);
        };
    }

    private int literal(int i, String word) {
        if (i + word.length() > b.length) {
            return FAIL;
        }
        for (int k = 0; k < word.length(); k++) {
            if (b[i + k] != word.charAt(k)) {
                return FAIL;
            }
        }
        return i + word.length();
    }

    private int string(int i) {
        i++; // the opening quote
        while (i < b.length) {
            int c = b[i] & 0xFF;
            if (c == '"') {
                return i + 1;
            }
            if (c < 0x20) {
                return FAIL; // a control character must be escaped
            }
            if (c >= 0x80) {
                i = character(i, c);
                if (i == FAIL) {
                    return FAIL;
                }
                continue;
            }
            if (c == '\\') {
                if (i + 1 >= b.length) {
                    return FAIL;
                }
                switch (b[i + 1]) {
                    case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> i += 2;
                    case 'u' -> {
                        if (i + 6 > b.length) {
                            return FAIL;
                        }
                        for (int k = i + 2; k < i + 6; k++) {
                            if (Character.digit(b[k], 16) < 0) {
                                return FAIL;
                            }
                        }
                        i += 6;
                    }
                    default -> {
                        return FAIL;
                    }
                }
            } else {
                i++;
            }
        }
        return FAIL; // unterminated
    }

    /**
     * A character of two to four bytes, well-formed as RFC 3629 has it (as the JDK's decoder checks):
     * no overlong form, no encoded surrogate, nothing past U+10FFFF. Where it ends, or FAIL.
     */
    private int character(int i, int lead) {
        int continuations;
        int low = 0x80;
        int high = 0xBF; // the second byte's range; the others are always 0x80–0xBF
        if (lead >= 0xC2 && lead <= 0xDF) {
            continuations = 1;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            continuations = 2;
            low = lead == 0xE0 ? 0xA0 : 0x80;
            high = lead == 0xED ? 0x9F : 0xBF;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            continuations = 3;
            low = lead == 0xF0 ? 0x90 : 0x80;
            high = lead == 0xF4 ? 0x8F : 0xBF;
        } else {
            return FAIL;
        }
        if (i + continuations >= b.length) {
            return FAIL; // cut short (and a string's closing quote is still to come)
        }
        int second = b[i + 1] & 0xFF;
        if (second < low || second > high) {
            return FAIL;
        }
        for (int k = 2; k <= continuations; k++) {
            if ((b[i + k] & 0xC0) != 0x80) {
                return FAIL;
            }
        }
        return i + 1 + continuations;
    }

    private int number(int i) {
        int start = i;
        if (b[i] == '-') {
            i++;
        }
        if (i >= b.length) {
            return FAIL;
        }
        if (b[i] == '0') {
            i++;
        } else if (b[i] >= '1' && b[i] <= '9') {
            i = digits(i);
        } else {
            return FAIL;
        }
        int integerDigits = i - start - (b[start] == '-' ? 1 : 0);
        boolean fraction = false;
        if (i < b.length && b[i] == '.') {
            int after = digits(i + 1);
            if (after == i + 1) {
                return FAIL;
            }
            i = after;
            fraction = true;
        }
        if (i < b.length && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            if (i < b.length && (b[i] == '+' || b[i] == '-')) {
                i++;
            }
            int after = digits(i);
            if (after == i) {
                return FAIL;
            }
            i = after;
            fraction = true;
        }
        int length = fraction ? i - start : integerDigits;
        return length > LIMITS.getMaxNumberLength() ? FAIL : i;
    }

    private int digits(int i) {
        while (i < b.length && b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        return i;
    }

    private int whitespace(int i) {
        while (i < b.length && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
            i++;
        }
        return i;
    }
}
