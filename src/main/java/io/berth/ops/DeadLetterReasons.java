package io.berth.ops;

import java.util.List;
import java.util.Locale;

/**
 * A dead letter's reason is free text (it names the record's topic, sizes, statuses); its metric
 * label is one of a fixed list of categories, matched on the words each capability's reasons use,
 * {@value #OTHER} for anything else. So a record cannot add a series however its reason reads.
 */
final class DeadLetterReasons {

    static final String OTHER = "other";

    /** In order: the first category whose words the reason contains. */
    private static final List<Category> CATEGORIES = List.of(
            new Category("too_large", "exceeds the limit"),
            new Category("empty", "empty record"),
            new Category("malformed", "malformed json", "json beyond the parser", "not utf-8", "text after the json",
                    "unreadable record", "must be a json object", "whose "),
            new Category("unsigned", "unsigned run", "signature"),
            new Category("unexpected_failure", "unexpected failure"),
            new Category("webhook_failed", "webhook"),
            new Category("invalid_change_event", "change event without", "change event with"),
            new Category("handler_failed", "failed:", "failed after", " failed ", "answered"));

    private DeadLetterReasons() {
    }

    static String category(String reason) {
        if (reason == null) {
            return OTHER;
        }
        String text = reason.toLowerCase(Locale.ROOT);
        return CATEGORIES.stream().filter(category -> category.matches(text)).map(Category::label).findFirst()
                .orElse(OTHER);
    }

    private record Category(String label, String... words) {
        boolean matches(String text) {
            for (String word : words) {
                if (text.contains(word)) {
                    return true;
                }
            }
            return false;
        }
    }
}
