package org.postwerk.srs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.smtp.Mailbox;
import org.postwerk.testkit.ManualClock;

/**
 * SRS0 and SRS1 addresses as libsrs2 writes them: the expected values were computed apart from this code
 * (Python's hmac over the lower-cased fields, base64, four characters; day 20089 is "TZ").
 */
class SrsTest {
    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock(); // 2025-01-01: day 20089, slot 633
    private final Srs srs = new Srs(List.of(bytes("tps-secret")), "forward.example", Duration.ofDays(21), clock);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Mailbox box(String address) {
        int at = address.lastIndexOf('@');
        return new Mailbox(address.substring(0, at), address.substring(at + 1));
    }

    @Test
    void srs0IsWhatLibsrs2Writes() {
        assertThat(srs.forward(box("alice@example.com")))
                .isEqualTo(box("SRS0=7Mct=TZ=example.com=alice@forward.example"));
    }

    @Test
    void roundTrip() {
        Mailbox rewritten = srs.forward(box("Alice.Smith+tag@Example.COM"));
        clock.advance(Duration.ofDays(3));
        assertThat(srs.reverse(rewritten)).isEqualTo(new Srs.Reversal.Original(box("Alice.Smith+tag@Example.COM")));
    }

    @Test
    void theHashTimestampAndTagAreReadWithoutRegardToCase() {
        assertThat(srs.reverse(box("srs0=7mCT=tz=EXAMPLE.com=alice@Forward.Example")))
                .isEqualTo(new Srs.Reversal.Original(box("alice@EXAMPLE.com")));
    }

    @Test
    void anExpiredAddressIsRefusedAndOneWithinMaxAgeIsNot() {
        Mailbox rewritten = srs.forward(box("alice@example.com"));
        clock.advance(Duration.ofDays(21));
        assertThat(srs.reverse(rewritten)).isInstanceOf(Srs.Reversal.Original.class);
        clock.advance(Duration.ofDays(1));
        assertThat(srs.reverse(rewritten)).isEqualTo(new Srs.Reversal.Invalid("expired"));
    }

    @Test
    void theTimestampWrapsAround1024Days() {
        clock.advance(Duration.ofDays(1024 - 633 - 2)); // two days before slot 0
        Mailbox rewritten = srs.forward(box("alice@example.com"));
        clock.advance(Duration.ofDays(5));
        assertThat(srs.reverse(rewritten)).isInstanceOf(Srs.Reversal.Original.class);
    }

    @Test
    void aTamperedAddressIsRefused() {
        assertThat(srs.reverse(box("SRS0=7Mcu=TZ=example.com=alice@forward.example")))
                .isEqualTo(new Srs.Reversal.Invalid("wrong hash"));
        assertThat(srs.reverse(box("SRS0=7Mct=TZ=example.com=mallory@forward.example")))
                .isEqualTo(new Srs.Reversal.Invalid("wrong hash"));
        assertThat(srs.reverse(box("SRS0=7Mct=TY=example.com=alice@forward.example")))
                .isEqualTo(new Srs.Reversal.Invalid("wrong hash"));
        assertThat(srs.reverse(box("SRS0=7Mct@forward.example"))).isInstanceOf(Srs.Reversal.Invalid.class);
        assertThat(new Srs(List.of(bytes("another")), "forward.example", Duration.ofDays(21), clock)
                .reverse(box("SRS0=7Mct=TZ=example.com=alice@forward.example"))).isInstanceOf(Srs.Reversal.Invalid.class);
    }

    @Test
    void addressesElsewhereOrWithoutTheTagAreNotSrs() {
        assertThat(srs.reverse(box("SRS0=7Mct=TZ=example.com=alice@other.example")))
                .isEqualTo(new Srs.Reversal.NotSrs());
        assertThat(srs.reverse(box("srsfan@forward.example"))).isEqualTo(new Srs.Reversal.NotSrs());
    }

    @Test
    void anSrs0SenderForwardedAgainBecomesSrs1AndReversesToTheFirstForwarder() {
        Mailbox srs1 = srs.forward(box("SRS0=7Mct=TZ=example.com=alice@forwarder.example"));
        assertThat(srs1).isEqualTo(box("SRS1=LyJU=forwarder.example==7Mct=TZ=example.com=alice@forward.example"));
        assertThat(srs.reverse(srs1)).isEqualTo(new Srs.Reversal.Original(
                box("SRS0=7Mct=TZ=example.com=alice@forwarder.example")));
        // A third forwarder keeps the first one and the original part, signed anew.
        Srs third = new Srs(List.of(bytes("third")), "third.example", Duration.ofDays(21), clock);
        Mailbox again = third.forward(srs1);
        assertThat(again.local()).startsWith("SRS1=").endsWith("=forwarder.example==7Mct=TZ=example.com=alice");
        assertThat(third.reverse(again)).isEqualTo(new Srs.Reversal.Original(
                box("SRS0=7Mct=TZ=example.com=alice@forwarder.example")));
        assertThat(srs.reverse(box("SRS1=LyJV=forwarder.example==7Mct=TZ=example.com=alice@forward.example")))
                .isEqualTo(new Srs.Reversal.Invalid("wrong hash"));
    }

    @Test
    void aSenderInTheSrsDomainIsLeftAlone() {
        assertThat(srs.forward(box("bob@forward.example"))).isEqualTo(box("bob@forward.example"));
    }

    @Test
    void everySecretVerifiesButOnlyTheFirstSigns() {
        Srs rotated = new Srs(List.of(bytes("new"), bytes("tps-secret")), "forward.example", Duration.ofDays(21), clock);
        assertThat(rotated.reverse(box("SRS0=7Mct=TZ=example.com=alice@forward.example")))
                .isInstanceOf(Srs.Reversal.Original.class);
        assertThat(rotated.forward(box("alice@example.com")).local()).doesNotStartWith("SRS0=7Mct=");
    }

    @Test
    void theSecretFileIsMadeOnFirstUseForTheOwnerAloneAndKept() throws Exception {
        Path file = dir.resolve("data/srs.secret");
        List<byte[]> first = SrsSecret.load(file);
        assertThat(first).singleElement().satisfies(s -> assertThat(s.length).isEqualTo(44));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(SrsSecret.load(file)).singleElement().isEqualTo(first.getFirst());
        Files.writeString(file, "# rotated\nnew one\n\n" + Files.readString(file));
        assertThat(SrsSecret.load(file)).hasSize(2).first().isEqualTo(bytes("new one"));
    }
}
