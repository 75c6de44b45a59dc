package io.mpcw.protocol.dkg;

import io.mpcw.protocol.TestPki;
import io.mpcw.protocol.share.MemoryShareStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An honest coordinator relaying a DKG among in-process participants, step by step so tests can
 * tamper with what it relays.
 */
public final class DkgRun {
  public final UUID walletId = UUID.randomUUID();
  public final List<String> participants;
  public final int threshold;
  public final Map<String, DkgParticipant> nodes = new LinkedHashMap<>();
  public final Map<String, MemoryShareStore> stores = new HashMap<>();
  public final Map<String, String> round1 = new HashMap<>();
  public final Map<String, DkgPart2Response> part2 = new HashMap<>();

  public DkgRun(TestPki pki, List<String> participants, int threshold) {
    this.participants = List.copyOf(participants);
    this.threshold = threshold;
    for (String node : pki.nodes()) {
      MemoryShareStore store = new MemoryShareStore();
      stores.put(node, store);
      nodes.put(
          node,
          new DkgParticipant(
              node,
              pki.identity(node),
              pki::certificate,
              store,
              new SecureRandom(),
              Clock.systemUTC(),
              Duration.ofMinutes(5)));
    }
  }

  public DkgPart1Request part1Request() {
    return new DkgPart1Request(walletId, participants, threshold);
  }

  public DkgRun part1() {
    for (String node : participants) {
      round1.put(node, nodes.get(node).part1(part1Request()).round1Package());
    }
    return this;
  }

  public DkgRun part2() {
    for (String node : participants) {
      part2.put(node, nodes.get(node).part2(new DkgPart2Request(walletId, round1)));
    }
    return this;
  }

  public Map<String, SignedEcho> echoes() {
    Map<String, SignedEcho> echoes = new HashMap<>();
    part2.forEach((node, r) -> echoes.put(node, new SignedEcho(r.echo(), r.echoSignature())));
    return echoes;
  }

  /** The sealed shares addressed to {@code recipient}, by sender. */
  public Map<String, String> sharesFor(String recipient) {
    Map<String, String> shares = new HashMap<>();
    part2.forEach(
        (sender, r) -> {
          if (!sender.equals(recipient)) {
            shares.put(sender, r.sealedShares().get(recipient));
          }
        });
    return shares;
  }

  public DkgPart3Request part3Request(String recipient) {
    return new DkgPart3Request(walletId, echoes(), sharesFor(recipient));
  }

  public Map<String, DkgPart3Response> part3() {
    Map<String, DkgPart3Response> out = new LinkedHashMap<>();
    for (String node : participants) {
      out.put(node, nodes.get(node).part3(part3Request(node)));
    }
    return out;
  }

  public Map<String, DkgPart3Response> runAll() {
    return part1().part2().part3();
  }
}
