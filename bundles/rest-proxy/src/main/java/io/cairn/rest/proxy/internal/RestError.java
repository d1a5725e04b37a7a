package io.cairn.rest.proxy.internal;

/**
 * A request the proxy refuses with one of its error bodies, {@code {"error_code":N,"message":".."}}.
 * Thrown by the consumer code and turned into a response by {@link ConsumerApi}.
 */
final class RestError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** 404 40403: the group has no instance of that name (never created, deleted or expired). */
    static final int CONSUMER_INSTANCE_NOT_FOUND = 40403;
    /** 406 40601: Accept names another embedded format than the instance's. */
    static final int CONSUMER_FORMAT_MISMATCH = 40601;
    /** 409 40902: an instance of that name already exists in the group. */
    static final int CONSUMER_ALREADY_EXISTS = 40902;
    /** 409 40903: what Kafka's consumer refuses with an IllegalStateException. */
    static final int ILLEGAL_STATE = 40903;
    /** 422 42201: a body that is not JSON or not the request's shape. */
    static final int BAD_BODY = 42201;
    /** 422 42204: a consumer configuration the proxy does not accept. */
    static final int INVALID_CONSUMER_CONFIG = 42204;
    /** 500 50002: an error from the broker (a Kafka error). */
    static final int KAFKA_ERROR = 50002;

    private final int status;
    private final int errorCode;

    RestError(int status, int errorCode, String message) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
    }

    int status() {
        return status;
    }

    int errorCode() {
        return errorCode;
    }

    static RestError instanceNotFound() {
        return new RestError(404, CONSUMER_INSTANCE_NOT_FOUND, "Consumer instance not found.");
    }

    static RestError illegalState(String what) {
        return new RestError(409, ILLEGAL_STATE, "Illegal state: " + what);
    }

    static RestError badBody(String what) {
        return new RestError(422, BAD_BODY, what);
    }

    static RestError kafka(String what) {
        return new RestError(500, KAFKA_ERROR, "Kafka error: " + what);
    }
}
