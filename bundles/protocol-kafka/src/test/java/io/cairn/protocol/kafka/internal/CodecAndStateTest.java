package io.cairn.protocol.kafka.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;

/**
 * The pieces of the pipeline on their own: the frame decoder on an {@link EmbeddedChannel}, the
 * connection state machine and the response ordering.
 */
class CodecAndStateTest {

    @Test
    void framesSplitAcrossReadsAreReassembledAndSizesStripped() {
        EmbeddedChannel channel = new EmbeddedChannel(new KafkaFrameDecoder(100));
        ByteBuf stream = Unpooled.buffer().writeInt(3).writeBytes(new byte[] {1, 2, 3}).writeInt(0).writeInt(2)
                .writeByte(9);

        channel.writeInbound(stream.readRetainedSlice(2)); // half a size
        assertNull(channel.readInbound());
        channel.writeInbound(stream.readRetainedSlice(stream.readableBytes()));

        ByteBuf first = channel.readInbound();
        assertEquals(3, first.readableBytes());
        assertEquals(3, first.getByte(2));
        ByteBuf empty = channel.readInbound();
        assertEquals(0, empty.readableBytes());
        assertNull(channel.readInbound(), "the third frame is one byte short");
        first.release();
        empty.release();
        stream.release();
        channel.finishAndReleaseAll();
    }

    @Test
    void anOversizedFrameIsRefusedFromItsSizeAloneAndLaterBytesAreDiscarded() {
        EmbeddedChannel channel = new EmbeddedChannel(new KafkaFrameDecoder(100));

        DecoderException refused = assertThrows(DecoderException.class,
                () -> channel.writeInbound(Unpooled.buffer().writeInt(101)));
        assertInstanceOf(ProtocolViolationException.class, refused.getCause());
        // What follows, even a well-formed frame, is not decoded any more.
        channel.writeInbound(Unpooled.buffer().writeInt(1).writeByte(0));
        assertNull(channel.readInbound());
        channel.finishAndReleaseAll();
    }

    @Test
    void theStateMachineAllowsOnlyForwardMoves() {
        ConnectionState state = ConnectionState.CONNECTED;
        assertTrue(state.acceptsRequests());
        state = state.transitionTo(ConnectionState.SERVING).transitionTo(ConnectionState.SERVING);
        assertTrue(state.acceptsRequests());
        state = state.transitionTo(ConnectionState.CLOSING);
        assertFalse(state.acceptsRequests());
        ConnectionState closing = state;
        assertThrows(IllegalStateException.class, () -> closing.transitionTo(ConnectionState.SERVING));
        state = state.transitionTo(ConnectionState.CLOSED);
        ConnectionState closed = state;
        assertThrows(IllegalStateException.class, () -> closed.transitionTo(ConnectionState.CONNECTED));
        assertEquals(ConnectionState.CLOSED, ConnectionState.CONNECTED.transitionTo(ConnectionState.CLOSED));
    }

    @Test
    void responsesCompletedOutOfOrderLeaveInRequestOrder() {
        ResponseSequencer sequencer = new ResponseSequencer();
        ResponseSequencer.Slot first = sequencer.open(request(1));
        ResponseSequencer.Slot second = sequencer.open(request(2));
        ResponseSequencer.Slot third = sequencer.open(request(3));

        sequencer.fill(third, response(third));
        sequencer.fill(second, response(second));
        assertEquals(List.of(), sequencer.drainReady(), "the first is not answered yet");
        sequencer.fill(first, response(first));

        assertEquals(List.of(1, 2, 3), sequencer.drainReady().stream().map(KafkaResponse::correlationId).toList());
        assertEquals(0, sequencer.pending());
        assertThrows(IllegalStateException.class, () -> sequencer.fill(first, response(first)));
    }

    private static KafkaRequest request(int correlationId) {
        return new KafkaRequest(new RequestHeader(ApiKeys.API_VERSIONS, (short) 3, "test", correlationId),
                new ApiVersionsRequestData(), false);
    }

    private static KafkaResponse response(ResponseSequencer.Slot slot) {
        return KafkaResponse.answering(slot.request(), new ApiVersionsResponseData());
    }
}
