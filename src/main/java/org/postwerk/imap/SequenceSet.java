package org.postwerk.imap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PrimitiveIterator;

/**
 * A sequence-set (RFC 9051 §9): message sequence numbers or UIDs as ranges, where {@code *} stands for the
 * largest number in use. Ranges are kept as given until {@link #resolve} replaces {@code *} and sorts and
 * merges them; iteration never materialises a range, so {@code 1:4294967295} costs two longs.
 */
public final class SequenceSet implements MessageSet {
    /** {@code *} in a range bound. */
    public static final long STAR = -1;
    /** nz-number is a non-zero unsigned 32-bit integer (RFC 9051 §9). */
    public static final long MAX_NUMBER = 0xFFFF_FFFFL;

    /** One seq-number or seq-range; {@code first} may be greater than {@code last} ({@code 4:2} = {@code 2:4}). */
    public record Range(long first, long last) {}

    private final long[] bounds; // first0, last0, first1, last1, ...
    private final boolean normal; // no STAR, each first <= last, sorted, neither overlapping nor adjacent

    private SequenceSet(long[] bounds) {
        this.bounds = bounds;
        this.normal = isNormal(bounds);
    }

    /**
     * Parses the wire form ({@code 1:3,5,7:*}); null when it is not a valid sequence-set or holds more than
     * {@code maxRanges} ranges. {@code $} is not a SequenceSet (see {@link MessageSet.Saved}).
     */
    public static SequenceSet parse(String text, int maxRanges) {
        if (text.isEmpty()) {
            return null;
        }
        String[] parts = text.split(",", -1);
        if (parts.length > maxRanges) {
            return null;
        }
        long[] bounds = new long[parts.length * 2];
        for (int i = 0; i < parts.length; i++) {
            int colon = parts[i].indexOf(':');
            String a = colon < 0 ? parts[i] : parts[i].substring(0, colon);
            String b = colon < 0 ? parts[i] : parts[i].substring(colon + 1);
            long first = number(a);
            long last = number(b);
            if (first == 0 || last == 0) {
                return null;
            }
            bounds[2 * i] = first;
            bounds[2 * i + 1] = last;
        }
        return new SequenceSet(bounds);
    }

    /** seq-number = nz-number / "*"; 0 when invalid. */
    private static long number(String s) {
        if (s.equals("*")) {
            return STAR;
        }
        if (s.isEmpty() || s.length() > 10 || s.charAt(0) == '0') {
            return 0;
        }
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!Syntax.isDigit(c)) {
                return 0;
            }
            n = n * 10 + (c - '0');
        }
        return n > MAX_NUMBER ? 0 : n;
    }

    /** The set of the given numbers (any order, duplicates allowed), compressed into ranges. */
    public static SequenceSet of(long... numbers) {
        long[] sorted = numbers.clone();
        Arrays.sort(sorted);
        List<Range> ranges = new ArrayList<>();
        for (long n : sorted) {
            if (n < 1) {
                throw new IllegalArgumentException("not a message number: " + n);
            }
            Range last = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
            if (last != null && n <= last.last() + 1) {
                ranges.set(ranges.size() - 1, new Range(last.first(), Math.max(n, last.last())));
            } else {
                ranges.add(new Range(n, n));
            }
        }
        return ofRanges(ranges);
    }

    public static SequenceSet ofRanges(List<Range> ranges) {
        long[] bounds = new long[ranges.size() * 2];
        for (int i = 0; i < ranges.size(); i++) {
            bounds[2 * i] = ranges.get(i).first();
            bounds[2 * i + 1] = ranges.get(i).last();
        }
        return new SequenceSet(bounds);
    }

    public List<Range> ranges() {
        List<Range> list = new ArrayList<>(bounds.length / 2);
        for (int i = 0; i < bounds.length; i += 2) {
            list.add(new Range(bounds[i], bounds[i + 1]));
        }
        return list;
    }

    public boolean isEmpty() {
        return bounds.length == 0;
    }

    public boolean hasStar() {
        for (long b : bounds) {
            if (b == STAR) {
                return true;
            }
        }
        return false;
    }

    /** The largest number written out (not {@code *}); 0 if none. Sequence numbers above EXISTS are an error. */
    public long highestNumber() {
        long max = 0;
        for (long b : bounds) {
            max = Math.max(max, b);
        }
        return max;
    }

    /**
     * Replaces {@code *} with {@code max} (the largest sequence number or UID in use; 0 for an empty mailbox),
     * orders each range, sorts and merges them, and drops what lies outside {@code 1..max}. RFC 9051 §9: a UID
     * range {@code 559:*} always includes the last message, even when 559 is higher than any UID.
     */
    public SequenceSet resolve(long max) {
        List<Range> ranges = new ArrayList<>(bounds.length / 2);
        for (int i = 0; i < bounds.length; i += 2) {
            long a = bounds[i] == STAR ? max : bounds[i];
            long b = bounds[i + 1] == STAR ? max : bounds[i + 1];
            long lo = Math.max(1, Math.min(a, b));
            long hi = Math.min(max, Math.max(a, b));
            if (lo <= hi) {
                ranges.add(new Range(lo, hi));
            }
        }
        ranges.sort(Comparator.comparingLong(Range::first));
        List<Range> merged = new ArrayList<>(ranges.size());
        for (Range r : ranges) {
            Range last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && r.first() <= last.last() + 1) {
                merged.set(merged.size() - 1, new Range(last.first(), Math.max(last.last(), r.last())));
            } else {
                merged.add(r);
            }
        }
        return ofRanges(merged);
    }

    /** Whether {@code n} is in the set; the set must not hold {@code *} (resolve it first). */
    public boolean contains(long n) {
        SequenceSet s = normalised();
        int lo = 0;
        int hi = s.bounds.length / 2 - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (n < s.bounds[2 * mid]) {
                hi = mid - 1;
            } else if (n > s.bounds[2 * mid + 1]) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    /** How many numbers the set holds; the set must not hold {@code *}. */
    public long count() {
        SequenceSet s = normalised();
        long n = 0;
        for (int i = 0; i < s.bounds.length; i += 2) {
            n += s.bounds[i + 1] - s.bounds[i] + 1;
        }
        return n;
    }

    /** The numbers in ascending order, each once, without materialising them; no {@code *} allowed. */
    public PrimitiveIterator.OfLong iterator() {
        long[] b = normalised().bounds;
        return new PrimitiveIterator.OfLong() {
            private int range;
            private long next = b.length > 0 ? b[0] : 0;

            @Override
            public boolean hasNext() {
                return range < b.length;
            }

            @Override
            public long nextLong() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                long n = next;
                if (n == b[range + 1]) {
                    range += 2;
                    next = range < b.length ? b[range] : 0;
                } else {
                    next++;
                }
                return n;
            }
        };
    }

    private SequenceSet normalised() {
        if (normal) {
            return this;
        }
        if (hasStar()) {
            throw new IllegalStateException("resolve * before using the set: " + this);
        }
        return resolve(Long.MAX_VALUE);
    }

    private static boolean isNormal(long[] b) {
        for (int i = 0; i < b.length; i += 2) {
            if (b[i] < 1 || b[i] > b[i + 1] || i > 0 && b[i] <= b[i - 1] + 1) {
                return false;
            }
        }
        return true;
    }

    /** The wire form, e.g. {@code 1:3,5,7:*}, as used in ESEARCH ALL, COPYUID and MODIFIED. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < bounds.length; i += 2) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(bound(bounds[i]));
            if (bounds[i + 1] != bounds[i]) {
                sb.append(':').append(bound(bounds[i + 1]));
            }
        }
        return sb.toString();
    }

    private static String bound(long n) {
        return n == STAR ? "*" : Long.toString(n);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SequenceSet other && Arrays.equals(bounds, other.bounds);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bounds);
    }
}
