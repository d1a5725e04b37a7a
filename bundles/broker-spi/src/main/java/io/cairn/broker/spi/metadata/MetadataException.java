package io.cairn.broker.spi.metadata;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A metadata operation did not take place. The {@link #code()} says why; the store is unchanged.
 */
@ProviderType
public class MetadataException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why an operation failed, mirroring ZooKeeper's result codes. */
    public enum Code {
        /** The node (or, on create, its parent) does not exist. */
        NO_NODE,
        /** A node already exists at the path being created. */
        NODE_EXISTS,
        /** The expected version did not match: someone else wrote first. */
        BAD_VERSION,
        /** The node still has children. */
        NOT_EMPTY,
        /** Ephemeral nodes cannot have children. */
        NO_CHILDREN_FOR_EPHEMERALS,
        /** The backend cannot be reached now; the operation may be retried. */
        UNAVAILABLE
    }

    private final Code code;
    private final String path;

    public MetadataException(Code code, String path) {
        this(code, path, null);
    }

    public MetadataException(Code code, String path, Throwable cause) {
        super(code + " for " + path, cause);
        this.code = code;
        this.path = path;
    }

    /** Why the operation failed. */
    public Code code() {
        return code;
    }

    /** The path the failure concerns. */
    public String path() {
        return path;
    }
}
