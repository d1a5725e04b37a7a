package io.cairn.broker.spi.groups;

import org.osgi.annotation.versioning.ProviderType;

import io.cairn.broker.spi.cluster.BrokerError;
import io.cairn.broker.spi.cluster.BrokerException;

/**
 * JoinGroup v4+: a new member must join again with the id this exception carries
 * ({@link BrokerError#MEMBER_ID_REQUIRED}; the front end puts {@link #memberId()} into the
 * response's member id field).
 */
@ProviderType
public class MemberIdRequiredException extends BrokerException {

    private static final long serialVersionUID = 1L;

    private final String memberId;

    public MemberIdRequiredException(String memberId) {
        super(BrokerError.MEMBER_ID_REQUIRED, "The group member needs to have a valid member id before actually "
                + "entering a consumer group: rejoin with " + memberId);
        this.memberId = memberId;
    }

    /** The id the member must join with. */
    public String memberId() {
        return memberId;
    }
}
