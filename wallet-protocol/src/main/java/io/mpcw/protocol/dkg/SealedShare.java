package io.mpcw.protocol.dkg;

import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolException;
import io.mpcw.transport.pki.IdentityCredentials;
import io.mpcw.transport.pki.IdentityKeys;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A DKG round-2 share sealed to its recipient and signed by its sender, so the coordinator that
 * relays it can neither read nor forge it. ECDH between a fresh P-256 key and the recipient's
 * certificate key, HKDF-SHA256, AES-256-GCM; the sender's identity key signs the whole box, which
 * also binds wallet, DKG attempt, sender and recipient (a box cannot be replayed into another DKG,
 * another attempt of the same wallet's DKG, or to another recipient). The attempt is named by the
 * hash of its round-1 set ({@link DkgTranscript#round1Hash}): every attempt draws fresh
 * polynomials, so no two attempts share it, and sender and recipient both hold it once their echoes
 * agree.
 *
 * <p>Box: version(1) || u16 len || ephemeral public key (X.509) || nonce(12) || u32 len ||
 * ciphertext+tag || ECDSA signature (rest).
 */
public final class SealedShare {
  private static final int VERSION = 1;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final int MAX_FIELD = 4096;
  private static final byte[] KEY_DOMAIN = "mpcw/dkg-seal-key/v1".getBytes(StandardCharsets.UTF_8);
  private static final byte[] SIG_DOMAIN = "mpcw/dkg-seal-sig/v1".getBytes(StandardCharsets.UTF_8);

  private SealedShare() {}

  /**
   * Seals {@code plaintext} for {@code recipient}; returns base64.
   *
   * @param attempt the round-1 hash of this DKG attempt ({@link DkgTranscript#round1Hash})
   */
  public static String seal(
      IdentityCredentials sender,
      X509Certificate recipient,
      UUID walletId,
      byte[] attempt,
      String senderNode,
      String recipientNode,
      byte[] plaintext,
      SecureRandom random) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), random);
      KeyPair ephemeral = generator.generateKeyPair();
      byte[] ephemeralPublic = ephemeral.getPublic().getEncoded();
      byte[] context = context(walletId, attempt, senderNode, recipientNode, ephemeralPublic);
      byte[] key = deriveKey(ephemeral.getPrivate(), recipient.getPublicKey(), context);
      byte[] nonce = new byte[NONCE_BYTES];
      random.nextBytes(nonce);
      byte[] ciphertext;
      try {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(
            Cipher.ENCRYPT_MODE,
            new SecretKeySpec(key, "AES"),
            new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(context);
        ciphertext = cipher.doFinal(plaintext);
      } finally {
        Arrays.fill(key, (byte) 0);
      }
      byte[] body = body(ephemeralPublic, nonce, ciphertext);
      byte[] signature = IdentityKeys.sign(sender, signed(context, body));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(body);
      out.writeBytes(signature);
      return Base64.getEncoder().encodeToString(out.toByteArray());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("P-256 ECDH and AES-GCM are in every JDK", e);
    }
  }

  /**
   * Checks the sender's signature, then decrypts.
   *
   * @param attempt the round-1 hash of this DKG attempt, as the recipient computed it
   * @throws ProtocolException {@code DKG_CULPRIT} naming {@code senderNode} when the box is
   *     unreadable, not signed by the sender for this attempt, or does not decrypt
   */
  public static byte[] open(
      IdentityCredentials recipient,
      X509Certificate sender,
      UUID walletId,
      byte[] attempt,
      String senderNode,
      String recipientNode,
      String sealed) {
    Box box = parse(senderNode, sealed);
    byte[] context = context(walletId, attempt, senderNode, recipientNode, box.ephemeralPublic);
    if (!IdentityKeys.verify(sender, signed(context, box.body), box.signature)) {
      throw culprit(
          senderNode, "sealed share is not signed by " + senderNode + " for this DKG attempt");
    }
    byte[] key = null;
    try {
      PublicKey ephemeral = ephemeralKey(senderNode, box.ephemeralPublic, recipient);
      key = deriveKey(recipient.privateKey(), ephemeral, context);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(key, "AES"),
          new GCMParameterSpec(TAG_BITS, box.nonce));
      cipher.updateAAD(context);
      return cipher.doFinal(box.ciphertext);
    } catch (GeneralSecurityException e) {
      throw culprit(senderNode, "sealed share does not decrypt");
    } finally {
      if (key != null) {
        Arrays.fill(key, (byte) 0);
      }
    }
  }

  private record Box(
      byte[] ephemeralPublic, byte[] nonce, byte[] ciphertext, byte[] body, byte[] signature) {}

  private static Box parse(String senderNode, String sealed) {
    try {
      ByteBuffer in = ByteBuffer.wrap(Base64.getDecoder().decode(sealed));
      if (in.get() != VERSION) {
        throw new IllegalArgumentException("unknown version");
      }
      byte[] ephemeralPublic = take(in, Short.toUnsignedInt(in.getShort()));
      byte[] nonce = take(in, NONCE_BYTES);
      byte[] ciphertext = take(in, in.getInt());
      int bodyLength = in.position();
      byte[] signature = take(in, in.remaining());
      byte[] body = Arrays.copyOf(in.array(), bodyLength);
      return new Box(ephemeralPublic, nonce, ciphertext, body, signature);
    } catch (RuntimeException e) {
      throw culprit(senderNode, "sealed share is malformed");
    }
  }

  private static byte[] take(ByteBuffer in, int length) {
    if (length < 0 || length > MAX_FIELD || length > in.remaining()) {
      throw new IllegalArgumentException("bad length");
    }
    byte[] out = new byte[length];
    in.get(out);
    return out;
  }

  /**
   * The sender's ephemeral key, which must lie on the recipient's own curve: an off-curve point
   * would let a malicious sender probe the recipient's identity key (invalid-curve attack).
   */
  private static PublicKey ephemeralKey(
      String senderNode, byte[] encoded, IdentityCredentials recipient)
      throws GeneralSecurityException {
    PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(encoded));
    if (!(key instanceof ECPublicKey ec)
        || !(recipient.certificate().getPublicKey() instanceof ECPublicKey own)
        || !ec.getParams().getCurve().equals(own.getParams().getCurve())
        || !CurveCheck.onCurve(ec.getW(), own.getParams())) {
      throw culprit(senderNode, "sealed share uses a key off the recipient's curve");
    }
    return key;
  }

  private static byte[] deriveKey(PrivateKey own, PublicKey peer, byte[] context)
      throws GeneralSecurityException {
    KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
    agreement.init(own);
    agreement.doPhase(peer, true);
    byte[] shared = agreement.generateSecret();
    try {
      return Hkdf.sha256(shared, KEY_DOMAIN, context, 32);
    } finally {
      Arrays.fill(shared, (byte) 0);
    }
  }

  private static byte[] context(
      UUID walletId,
      byte[] attempt,
      String senderNode,
      String recipientNode,
      byte[] ephemeralPublic) {
    if (attempt.length != 32) {
      throw new IllegalArgumentException("a DKG attempt is named by a 32-byte round-1 hash");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(DkgTranscript.uuid(walletId));
    out.writeBytes(attempt);
    DkgTranscript.writeNodeId(out, senderNode);
    DkgTranscript.writeNodeId(out, recipientNode);
    out.writeBytes(ephemeralPublic);
    return out.toByteArray();
  }

  private static byte[] body(byte[] ephemeralPublic, byte[] nonce, byte[] ciphertext) {
    ByteBuffer out =
        ByteBuffer.allocate(1 + 2 + ephemeralPublic.length + nonce.length + 4 + ciphertext.length);
    out.put((byte) VERSION);
    out.putShort((short) ephemeralPublic.length).put(ephemeralPublic);
    out.put(nonce);
    out.putInt(ciphertext.length).put(ciphertext);
    return out.array();
  }

  private static byte[] signed(byte[] context, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(SIG_DOMAIN);
    out.writeBytes(context);
    out.writeBytes(body);
    return out.toByteArray();
  }

  private static ProtocolException culprit(String node, String why) {
    return new ProtocolException(ProtocolErrors.DKG_CULPRIT, "culprit=" + node + ": " + why);
  }

  /** RFC 5869 HKDF with HMAC-SHA256 (the JDK 17 has none). */
  static final class Hkdf {
    private Hkdf() {}

    static byte[] sha256(byte[] ikm, byte[] salt, byte[] info, int length)
        throws GeneralSecurityException {
      if (length > 255 * 32) {
        throw new IllegalArgumentException("HKDF output too long");
      }
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(salt, "HmacSHA256"));
      byte[] prk = mac.doFinal(ikm);
      try {
        mac.init(new SecretKeySpec(prk, "HmacSHA256"));
        ByteArrayOutputStream okm = new ByteArrayOutputStream();
        byte[] previous = new byte[0];
        for (int i = 1; okm.size() < length; i++) {
          mac.update(previous);
          mac.update(info);
          mac.update((byte) i);
          previous = mac.doFinal();
          okm.writeBytes(previous);
        }
        return Arrays.copyOf(okm.toByteArray(), length);
      } finally {
        Arrays.fill(prk, (byte) 0);
      }
    }
  }
}
