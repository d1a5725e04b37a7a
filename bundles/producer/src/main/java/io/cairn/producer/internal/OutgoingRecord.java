package io.cairn.producer.internal;

import java.util.List;

import io.cairn.producer.Header;

/**
 * A record ready to be encoded: its placement is decided and its timestamp fixed.
 *
 * @param key key bytes or {@code null}
 * @param value value bytes or {@code null}
 * @param headers headers in order
 * @param timestamp create time, epoch milliseconds
 */
record OutgoingRecord(byte[] key, byte[] value, List<Header> headers, long timestamp) {
}
