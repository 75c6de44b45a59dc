package io.mpcw.crypto.frost;

import io.mpcw.crypto.ec.CryptoFormatException;
import io.mpcw.crypto.ec.Point;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the coordinator sends every chosen signer in round 2: the message and the commitments of
 * exactly the chosen signers. Construction refuses a repeated identifier and a nonce commitment
 * that appears twice (RFC 9591 §5.2: a reused commitment would let an attacker cancel nonces).
 */
public final class SigningPackage {
  private static final int VERSION = 1;

  private final byte[] message;
  private final SortedMap<Identifier, SigningCommitments> commitments;

  public SigningPackage(byte[] message, Collection<SigningCommitments> signerCommitments) {
    if (message == null) {
      throw new CryptoFormatException("message is required");
    }
    SortedMap<Identifier, SigningCommitments> byId = new TreeMap<>();
    Set<Point> seen = new HashSet<>();
    for (SigningCommitments c : signerCommitments) {
      if (byId.put(c.identifier(), c) != null) {
        throw new CryptoFormatException("identifier " + c.identifier() + " appears twice");
      }
      if (!seen.add(c.hiding()) || !seen.add(c.binding())) {
        throw new CryptoFormatException(
            "a nonce commitment is repeated (participant " + c.identifier() + ")");
      }
    }
    if (byId.isEmpty()) {
      throw new CryptoFormatException("a signing package needs at least one signer");
    }
    this.message = message.clone();
    this.commitments = Collections.unmodifiableSortedMap(byId);
  }

  public byte[] message() {
    return message.clone();
  }

  public SortedMap<Identifier, SigningCommitments> commitments() {
    return commitments;
  }

  public Set<Identifier> signers() {
    return commitments.keySet();
  }

  /** RFC 9591 encode_group_commitment_list: the commitments in identifier order. */
  byte[] encodedCommitmentList() {
    ByteWriter out = new ByteWriter();
    commitments.values().forEach(c -> out.bytes(c.encode()));
    return out.toByteArray();
  }

  /** version(1) || count(2) || count × commitments(98) || msgLen(4) || msg. */
  public byte[] encode() {
    ByteWriter out = new ByteWriter().u8(VERSION).u16(commitments.size());
    commitments.values().forEach(c -> out.bytes(c.encode()));
    return out.u32(message.length).bytes(message).toByteArray();
  }

  public static SigningPackage decode(byte[] bytes) {
    ByteReader in = new ByteReader(bytes, "signing package");
    in.expectVersion(VERSION);
    int count = in.u16();
    if (in.remaining() < count * SigningCommitments.BYTES) {
      throw new CryptoFormatException("signing package: truncated");
    }
    List<SigningCommitments> list = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      list.add(SigningCommitments.read(in));
    }
    byte[] message = in.take(in.u32());
    in.requireEnd();
    return new SigningPackage(message, list);
  }

  @Override
  public String toString() {
    return "SigningPackage[signers="
        + commitments.keySet()
        + ", messageBytes="
        + message.length
        + "]";
  }
}
