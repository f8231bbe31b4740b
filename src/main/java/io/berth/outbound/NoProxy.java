package io.berth.outbound;

import java.util.List;
import java.util.Locale;
import java.util.Arrays;

/**
 * {@code NO_PROXY} as requests applies it, its own check and urllib's together: {@code *} bypasses
 * every host; an entry bypasses each host name that ends with it (a leading dot is dropped:
 * {@code .corp.example} and {@code corp.example} both bypass {@code corp.example} and
 * {@code api.corp.example}; like requests, {@code example.com} also bypasses {@code myexample.com});
 * an entry with a port, {@code host:8443}, only urls that name that port; an IPv4 CIDR such as
 * {@code 10.0.0.0/8}, the addresses in it. Case does not matter.
 */
final class NoProxy {

    private final List<String> entries;

    private NoProxy(List<String> entries) {
        this.entries = entries;
    }

    static NoProxy of(String value) {
        return new NoProxy(value == null ? List.of() : Arrays.stream(value.split(",")).map(String::trim)
                .filter(entry -> !entry.isEmpty()).map(entry -> entry.toLowerCase(Locale.ROOT)).toList());
    }

    @Override
    public String toString() {
        return entries.isEmpty() ? "none" : String.join(",", entries);
    }

    /**
     * @param host the url's host, without brackets
     * @param explicitPort the url's port when it names one, else -1 (requests compares only those)
     */
    boolean bypasses(String host, int explicitPort) {
        String name = host.toLowerCase(Locale.ROOT);
        String withPort = explicitPort < 0 ? name : name + ":" + explicitPort;
        for (String entry : entries) {
            if (entry.equals("*") || withPort.endsWith(entry)) {
                return true;
            }
            if (entry.contains("/") ? inNetwork(name, entry) : name.endsWith(stripLeadingDots(entry))) {
                return true;
            }
        }
        return false;
    }

    private static String stripLeadingDots(String entry) {
        int start = 0;
        while (start < entry.length() - 1 && entry.charAt(start) == '.') {
            start++;
        }
        return entry.substring(start);
    }

    /** Whether {@code host} is an IPv4 address inside {@code cidr} ({@code a.b.c.d/n}). */
    private static boolean inNetwork(String host, String cidr) {
        int slash = cidr.indexOf('/');
        long address = ipv4(host);
        long network = ipv4(cidr.substring(0, slash));
        int bits;
        try {
            bits = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException notCidr) {
            return false;
        }
        if (address < 0 || network < 0 || bits < 0 || bits > 32) {
            return false;
        }
        long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
        return (address & mask) == (network & mask);
    }

    /** The address as a number, or -1 when {@code text} is not a dotted IPv4 address. */
    private static long ipv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return -1;
        }
        long value = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
                return -1;
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                return -1;
            }
            value = (value << 8) | octet;
        }
        return value;
    }
}
