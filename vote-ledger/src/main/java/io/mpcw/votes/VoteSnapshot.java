package io.mpcw.votes;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything etcd holds about one transaction's vote, read at one revision.
 *
 * @param malformed keys under the vote prefix whose value is not a readable vote record
 * @param counters the fast-path counters by digest (dashboards; decisions recount the records)
 */
public record VoteSnapshot(
    List<VoteRecord> votes,
    List<String> malformed,
    Map<String, Long> counters,
    Optional<String> decision,
    long revision) {}
