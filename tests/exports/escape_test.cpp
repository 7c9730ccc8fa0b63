#include "sessions/exports/escape.hpp"

#include <catch2/catch.hpp>

using namespace quorum::exports;

TEST_CASE("html_escape leaves no markup and no control characters") {
    CHECK(html_escape("<script>alert('x')</script> & \"q\"") ==
          "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
    CHECK(html_escape("a\x01z\n\tb") == "a\xEF\xBF\xBDz\n\tb");
    CHECK(html_escape("Zoë") == "Zoë");
}

TEST_CASE("markdown_inline escapes active characters and joins lines") {
    CHECK(markdown_inline("*bold* _em_ `code` [l](u) <b> a|b ~x~ &amp; #tag") ==
          "\\*bold\\* \\_em\\_ \\`code\\` \\[l\\](u) \\<b\\> a\\|b \\~x\\~ \\&amp; \\#tag");
    CHECK(markdown_inline("one\ntwo\r\nthree") == "one two three");
    CHECK(markdown_inline("- item") == "\\- item");
    CHECK(markdown_inline("12. item") == "12\\. item");
    CHECK(markdown_inline("    indented code") == "indented code");
    CHECK(markdown_inline("plain, words: fine.") == "plain, words: fine.");
}

TEST_CASE("markdown_quote keeps lines inside the quote and neutralises block syntax") {
    CHECK(markdown_quote("line one\n# heading\n- item\n\n1) x\n> q") ==
          "> line one\\\n> \\# heading\\\n> \\- item\\\n> 1\\) x\\\n> \\> q\n");
    CHECK(markdown_quote("single", "  > ") == "  > single\n");
    CHECK(markdown_quote("```\nfence\n```") == "> \\`\\`\\`\\\n> fence\\\n> \\`\\`\\`\n");
}

TEST_CASE("csv_field quotes per RFC 4180 and defuses formulas") {
    CHECK(csv_field("plain") == "plain");
    CHECK(csv_field("a,b") == "\"a,b\"");
    CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csv_field("two\nlines") == "\"two\nlines\"");
    CHECK(csv_field("=HYPERLINK(\"http://x\")") == "\"'=HYPERLINK(\"\"http://x\"\")\"");
    CHECK(csv_field("+1") == "'+1");
    CHECK(csv_field("-1") == "'-1");
    CHECK(csv_field("@SUM(A1)") == "'@SUM(A1)");
    CHECK(csv_field("\tx") == "'\tx");
    CHECK(csv_field("\rx") == "\"'\rx\"");
    CHECK(csv_field("a=1") == "a=1");
    CHECK(csv_field("") == "");
    CHECK(csv_row({"a", "b,c", ""}) == "a,\"b,c\",\r\n");
}
