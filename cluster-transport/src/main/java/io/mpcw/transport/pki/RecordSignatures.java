package io.mpcw.transport.pki;

import io.mpcw.crypto.ec.CryptoFormatException;
import io.mpcw.crypto.ec.Scalar;
import io.mpcw.crypto.hash.TaggedHash;
import io.mpcw.crypto.schnorr.Bip340;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signatures on the records a node writes many times per payment (votes, signing-share records,
 * lifecycle votes): as binding as a signature by the node's certificate key, at a thirtieth of the
 * cost.
 *
 * <p>A P-256 ECDSA verification costs about 1 ms of CPU in the JDK and each payment needs a dozen
 * in several processes (docs/benchmarks.md). So each process signs records with a BIP-340 key of
 * its own, made at random when it first signs and held only in memory, and <em>endorses</em> that
 * key once with its certificate key. Every record signature carries the endorsement:
 *
 * <pre>
 *   0x01 | record key (32, x-only) | endorsement length (1) | endorsement (DER ECDSA, certificate key,
 *        over "mpcw/record-key/v1" | record key) | BIP-340 signature (64) over
 *        tagged-hash("mpcw/record/v1", data)
 * </pre>
 *
 * A verifier checks the endorsement against the signer's certificate (answered from {@link
 * VerifiedSignatures} after the first time, so once per signer process and verifier process) and
 * the BIP-340 signature (libsecp256k1 where it loads, 31 µs). Forging a record still takes the
 * certificate's private key: the endorsement is the only way a record key speaks for a node, and
 * only that key makes one. A record key never leaves the process's memory; a restarted process
 * makes a new one, and records signed by the old one stay verifiable (each carries its own
 * endorsement).
 */
public final class RecordSignatures {
  static final byte FORMAT = 0x01;
  static final String RECORD_TAG = "mpcw/record/v1";
  static final byte[] ENDORSEMENT_PREFIX = "mpcw/record-key/v1".getBytes(StandardCharsets.US_ASCII);
  private static final int KEY_BYTES = 32;
  private static final int MAX_ENDORSEMENT_BYTES = 80;

  /** One record key per identity and process; keyed by the certificate's public key. */
  private static final Map<String, RecordKey> KEYS = new ConcurrentHashMap<>();

  private RecordSignatures() {}

  /** {@code identity}'s record signature of {@code data} (made with its process's record key). */
  public static byte[] sign(IdentityCredentials identity, byte[] data) {
    RecordKey key =
        KEYS.computeIfAbsent(
            Base64.getEncoder().encodeToString(identity.certificate().getPublicKey().getEncoded()),
            k -> RecordKey.endorsedBy(identity));
    return key.sign(data);
  }

  /**
   * True when {@code signature} is a record signature of {@code data} whose record key {@code
   * signer}'s certificate key endorsed. A malformed signature is simply not valid. Whether {@code
   * signer} is trusted is the caller's job ({@link PeerIdentity#fromCertificate}).
   */
  public static boolean verify(X509Certificate signer, byte[] data, byte[] signature) {
    if (signature == null || signature.length < 1 + KEY_BYTES + 1 + Bip340.SIGNATURE_BYTES) {
      return false;
    }
    if (signature[0] != FORMAT) {
      return false;
    }
    int endorsementLength = signature[1 + KEY_BYTES] & 0xff;
    int endorsementStart = 1 + KEY_BYTES + 1;
    if (endorsementLength == 0
        || endorsementLength > MAX_ENDORSEMENT_BYTES
        || signature.length != endorsementStart + endorsementLength + Bip340.SIGNATURE_BYTES) {
      return false;
    }
    byte[] recordKey = Arrays.copyOfRange(signature, 1, 1 + KEY_BYTES);
    byte[] endorsement =
        Arrays.copyOfRange(signature, endorsementStart, endorsementStart + endorsementLength);
    byte[] schnorr =
        Arrays.copyOfRange(signature, endorsementStart + endorsementLength, signature.length);
    if (!IdentityKeys.verify(signer, endorsementPayload(recordKey), endorsement)) {
      return false;
    }
    try {
      return Bip340.verify(message(data), recordKey, schnorr);
    } catch (CryptoFormatException e) {
      return false;
    }
  }

  static byte[] endorsementPayload(byte[] recordKey) {
    byte[] out = Arrays.copyOf(ENDORSEMENT_PREFIX, ENDORSEMENT_PREFIX.length + recordKey.length);
    System.arraycopy(recordKey, 0, out, ENDORSEMENT_PREFIX.length, recordKey.length);
    return out;
  }

  static byte[] message(byte[] data) {
    return TaggedHash.hash(RECORD_TAG, data);
  }

  /** Encodes the parts as {@link #verify} reads them. */
  static byte[] encode(byte[] recordKey, byte[] endorsement, byte[] schnorr) {
    if (endorsement.length == 0 || endorsement.length > MAX_ENDORSEMENT_BYTES) {
      throw new PkiException("an endorsement of " + endorsement.length + " bytes");
    }
    byte[] out = new byte[1 + KEY_BYTES + 1 + endorsement.length + schnorr.length];
    out[0] = FORMAT;
    System.arraycopy(recordKey, 0, out, 1, KEY_BYTES);
    out[1 + KEY_BYTES] = (byte) endorsement.length;
    System.arraycopy(endorsement, 0, out, 1 + KEY_BYTES + 1, endorsement.length);
    System.arraycopy(schnorr, 0, out, 1 + KEY_BYTES + 1 + endorsement.length, schnorr.length);
    return out;
  }

  /**
   * A process's record key and its endorsement. The secret is never encoded anywhere but into
   * {@link Bip340#sign}; {@link #toString()} leaves it out.
   */
  private static final class RecordKey {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] secret;
    private final byte[] publicKey;
    private final byte[] endorsement;

    private RecordKey(byte[] secret, byte[] publicKey, byte[] endorsement) {
      this.secret = secret;
      this.publicKey = publicKey;
      this.endorsement = endorsement;
    }

    static RecordKey endorsedBy(IdentityCredentials identity) {
      byte[] secret = Scalar.random(RANDOM).encode();
      byte[] publicKey = Bip340.publicKey(secret);
      byte[] endorsement = IdentityKeys.sign(identity, endorsementPayload(publicKey));
      return new RecordKey(secret, publicKey, endorsement);
    }

    byte[] sign(byte[] data) {
      byte[] aux = new byte[32];
      RANDOM.nextBytes(aux);
      return encode(publicKey, endorsement, Bip340.sign(message(data), secret, publicKey, aux));
    }

    @Override
    public String toString() {
      return "RecordKey[" + Base64.getEncoder().encodeToString(publicKey) + "]";
    }
  }
}
