package io.cairn.launcher;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The coordinates in a Pax URL / Karaf {@code mvn:} bundle location, and where that artifact sits
 * in a directory laid out like a Maven repository (Karaf's {@code system/} convention).
 *
 * <p>Accepted form: {@code mvn:groupId/artifactId/version[/type[/classifier]]}; an empty or
 * missing type means {@code jar}. Rejected, because {@code system/} is the only repository the
 * launcher reads: a repository prefix ({@code mvn:http://repo!g/a/v}), version ranges and
 * {@code LATEST}/{@code RELEASE}, and anything that is not a plain name (so a location cannot
 * point outside {@code system/}).
 *
 * <p>Immutable and thread-safe.
 */
record MavenCoordinates(String groupId, String artifactId, String version, String type, String classifier) {

    static final String SCHEME = "mvn:";

    /** Letters, digits and {@code _ - + .}, not starting with a dot: covers real Maven names. */
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_+\\-][A-Za-z0-9_+.\\-]*");

    MavenCoordinates {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(artifactId, "artifactId");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(type, "type");
    }

    /**
     * Parses a {@code mvn:} location.
     *
     * @throws IllegalArgumentException naming the location and what is wrong with it
     */
    static MavenCoordinates parse(String location) {
        if (!location.startsWith(SCHEME)) {
            throw invalid(location, "only mvn: locations are supported");
        }
        String body = location.substring(SCHEME.length());
        if (body.contains("!")) {
            throw invalid(location, "a repository prefix is not supported; system/ is the only repository");
        }
        String[] parts = body.split("/", -1);
        if (parts.length < 3 || parts.length > 5) {
            throw invalid(location, "expected mvn:groupId/artifactId/version[/type[/classifier]]");
        }
        String type = parts.length > 3 && !parts[3].isEmpty() ? parts[3] : "jar";
        String classifier = parts.length > 4 && !parts[4].isEmpty() ? parts[4] : null;
        checkSegment(location, "groupId", parts[0]);
        checkSegment(location, "artifactId", parts[1]);
        checkSegment(location, "version", parts[2]);
        checkSegment(location, "type", type);
        if (classifier != null) {
            checkSegment(location, "classifier", classifier);
        }
        if (parts[2].equals("LATEST") || parts[2].equals("RELEASE")) {
            throw invalid(location, "the version must be exact");
        }
        return new MavenCoordinates(parts[0], parts[1], parts[2], type, classifier);
    }

    /**
     * The artifact's path relative to the root of a Maven-layout repository:
     * {@code group/as/dirs/artifactId/version/artifactId-version[-classifier].type}.
     */
    Path repositoryPath() {
        String fileName = artifactId + "-" + version + (classifier == null ? "" : "-" + classifier) + "." + type;
        return Path.of(groupId.replace('.', '/'), artifactId, version, fileName);
    }

    @Override
    public String toString() {
        return SCHEME + groupId + "/" + artifactId + "/" + version
                + (classifier == null ? (type.equals("jar") ? "" : "/" + type) : "/" + type + "/" + classifier);
    }

    private static void checkSegment(String location, String what, String value) {
        if (!SEGMENT.matcher(value).matches() || value.contains("..")) {
            throw invalid(location, "invalid " + what + " '" + value + "'");
        }
    }

    private static IllegalArgumentException invalid(String location, String why) {
        return new IllegalArgumentException("Bundle location '" + location + "': " + why);
    }
}
