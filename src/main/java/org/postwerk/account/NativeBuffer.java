package org.postwerk.account;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;

/**
 * A buffer outside the Java heap that is freed when closed, not when the collector gets to it: a login flood on an
 * idle server (no allocation, so no collection) would otherwise pile up one 19 MiB buffer per password check.
 *
 * <p>The memory comes from an {@code java.lang.foreign.Arena} (final since JDK 22), reached through method handles
 * because the language level is 21, where that API is a preview. Where it cannot be had, a plain direct buffer,
 * left to the collector.
 */
final class NativeBuffer implements AutoCloseable {
    private static final MethodHandle OF_CONFINED;
    private static final MethodHandle ALLOCATE;
    private static final MethodHandle AS_BYTE_BUFFER;
    private static final MethodHandle CLOSE;

    static {
        MethodHandle ofConfined = null;
        MethodHandle allocate = null;
        MethodHandle asByteBuffer = null;
        MethodHandle close = null;
        try {
            Class<?> arena = Class.forName("java.lang.foreign.Arena");
            Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            ofConfined = lookup.findStatic(arena, "ofConfined", MethodType.methodType(arena))
                    .asType(MethodType.methodType(Object.class));
            allocate = lookup.findVirtual(arena, "allocate", MethodType.methodType(segment, long.class, long.class))
                    .asType(MethodType.methodType(Object.class, Object.class, long.class, long.class));
            asByteBuffer = lookup.findVirtual(segment, "asByteBuffer", MethodType.methodType(ByteBuffer.class))
                    .asType(MethodType.methodType(ByteBuffer.class, Object.class));
            close = lookup.findVirtual(arena, "close", MethodType.methodType(void.class))
                    .asType(MethodType.methodType(void.class, Object.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            ofConfined = null; // JDK 21: a preview API; the fallback below
        }
        OF_CONFINED = ofConfined;
        ALLOCATE = allocate;
        AS_BYTE_BUFFER = asByteBuffer;
        CLOSE = close;
    }

    private final Object arena;
    private final ByteBuffer buffer;

    /** {@code bytes} of memory for the calling thread only (a confined arena must be closed by its own thread). */
    NativeBuffer(int bytes) {
        Object a = null;
        ByteBuffer b;
        try {
            a = OF_CONFINED == null ? null : (Object) OF_CONFINED.invokeExact();
            b = a == null ? ByteBuffer.allocateDirect(bytes) : (ByteBuffer) AS_BYTE_BUFFER.invokeExact(
                    (Object) ALLOCATE.invokeExact(a, (long) bytes, 8L));
        } catch (Throwable t) {
            b = ByteBuffer.allocateDirect(bytes);
        }
        this.arena = a;
        this.buffer = b;
    }

    ByteBuffer buffer() {
        return buffer;
    }

    /** Frees the memory; the buffer must not be used after (it would throw, not read freed memory). */
    @Override
    public void close() {
        if (arena != null) {
            try {
                CLOSE.invokeExact(arena);
            } catch (Throwable t) {
                // left to the collector
            }
        }
    }
}
