package org.postwerk.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.sasl.PasswordCheck;

class PasswordsTest {
    @TempDir
    Path dir;

    @Test
    void aFullPoolAnswersBusyWithoutHashingButARememberedLoginStillPasses() throws Exception {
        AccountStore store = new AccountStore(dir, AccountSettings.of(Set.of("example.org")));
        new AccountEditor(store).addUser("alice@example.org", "s3cret".toCharArray());
        try (HashPool pool = new HashPool(1, 0)) {
            Passwords passwords = new Passwords(store, pool);
            assertThat(passwords.authenticate("alice@example.org", "s3cret".toCharArray()))
                    .isEqualTo(PasswordCheck.VALID);

            CountDownLatch taken = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread.ofVirtual().start(() -> pool.run(() -> {
                taken.countDown();
                try {
                    return release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    return false;
                }
            }));
            assertThat(taken.await(10, TimeUnit.SECONDS)).isTrue();
            try {
                assertThat(passwords.authenticate("alice@example.org", "wrong".toCharArray()))
                        .isEqualTo(PasswordCheck.BUSY);
                assertThat(passwords.authenticate("nobody@example.org", "s3cret".toCharArray()))
                        .isEqualTo(PasswordCheck.BUSY);
                assertThat(passwords.authenticate("alice@example.org", "s3cret".toCharArray()))
                        .as("verified a moment ago: no hash needed").isEqualTo(PasswordCheck.VALID);
            } finally {
                release.countDown();
            }
        }
    }
}
