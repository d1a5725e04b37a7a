package io.cairn.protocol.kafka.internal;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * A blocking Kafka client over a plain socket, for tests that need to send what real clients
 * never send, or to control exactly when bytes go out. Requests and responses are written and read
 * with kafka-clients' own generated classes, the outside oracle for the wire format.
 */
final class RawKafkaClient implements AutoCloseable {

    /** Bounds every read: a test waits at most this long for an answer or a close. */
    private static final int READ_TIMEOUT_MS = 5_000;

    /** A parsed response frame. */
    record Response(int correlationId, ApiMessage body) {
    }

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;

    RawKafkaClient(InetSocketAddress address) throws IOException {
        socket = new Socket();
        socket.connect(address, READ_TIMEOUT_MS);
        socket.setSoTimeout(READ_TIMEOUT_MS);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = new DataOutputStream(socket.getOutputStream());
    }

    /** A request frame (size prefix included) as kafka-clients would write it. */
    static byte[] frame(ApiKeys apiKey, short version, int correlationId, ApiMessage body) {
        RequestHeader header = new RequestHeader(apiKey, version, "raw-test-client", correlationId);
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int headerSize = header.data().size(cache, header.headerVersion());
        int bodySize = body.size(cache, version);
        ByteBuffer buffer = ByteBuffer.allocate(4 + headerSize + bodySize);
        buffer.putInt(headerSize + bodySize);
        ByteBufferAccessor writer = new ByteBufferAccessor(buffer);
        header.data().write(writer, cache, header.headerVersion());
        body.write(writer, cache, version);
        return buffer.array();
    }

    /**
     * An ApiVersions request as a well-behaved client sends it: from v3 on, the broker refuses an
     * empty client software name or version with INVALID_REQUEST, as Kafka does.
     */
    static ApiVersionsRequestData apiVersionsRequest() {
        return new ApiVersionsRequestData().setClientSoftwareName("raw-test-client").setClientSoftwareVersion("1.0");
    }

    void send(ApiKeys apiKey, short version, int correlationId, ApiMessage body) throws IOException {
        sendRaw(frame(apiKey, version, correlationId, body));
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads one response frame and parses it as {@code apiKey} in {@code version}. */
    Response read(ApiKeys apiKey, short version) throws IOException {
        int size = in.readInt();
        byte[] bytes = new byte[size];
        in.readFully(bytes);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        ByteBufferAccessor reader = new ByteBufferAccessor(buffer);
        ResponseHeaderData header = new ResponseHeaderData(reader, apiKey.responseHeaderVersion(version));
        ApiMessage body = ApiMessageType.fromApiKey(apiKey.id).newResponse();
        body.read(reader, version);
        if (buffer.hasRemaining()) {
            throw new IOException(buffer.remaining() + " bytes left after a " + apiKey + " v" + version + " response");
        }
        return new Response(header.correlationId(), body);
    }

    /** Sends a request and reads its response. */
    Response call(ApiKeys apiKey, short version, int correlationId, ApiMessage body) throws IOException {
        send(apiKey, version, correlationId, body);
        return read(apiKey, version);
    }

    /**
     * Whether the broker closed the connection: end of stream or a reset before any byte arrives.
     * A byte, or silence for the read timeout, means it did not.
     */
    boolean closedByBroker() throws IOException {
        try {
            return in.read() < 0;
        } catch (EOFException | SocketException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
