package org.postwerk.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class XmlTest {
    @Test
    void escapesMarkupAndDropsWhatXmlCannotHold() {
        assertThat(Xml.escape("a<b>&\"c'")).isEqualTo("a&lt;b&gt;&amp;&quot;c&apos;");
        assertThat(Xml.escape("x\0y\u0001z\uFFFE\uD800")).isEqualTo("xyz");
        assertThat(Xml.escape("Grüße 😀\t\n")).isEqualTo("Grüße 😀\t\n");
    }
}
