package io.mpcw.node.share;

import io.mpcw.crypto.frost.KeyPackage;
import io.mpcw.crypto.frost.PublicKeyPackage;
import io.mpcw.protocol.share.WalletShare;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The plaintext inside a share file, binary and length-prefixed: wallet id, node id, identifier,
 * threshold, participants, then the FROST key package, public key package and untweaked group key
 * in their own encodings, then the key epoch (8 bytes; absent in files written before epochs
 * existed, which are epoch 0). Decoding refuses trailing or missing bytes.
 */
final class ShareCodec {

  private static final int MAX_PARTICIPANTS = 1_000;
  private static final int MAX_BLOB = 1 << 20;

  private ShareCodec() {}

  static byte[] encode(WalletShare share) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeLong(share.walletId().getMostSignificantBits());
      out.writeLong(share.walletId().getLeastSignificantBits());
      writeString(out, share.nodeId());
      out.writeInt(share.identifier());
      out.writeInt(share.threshold());
      out.writeShort(share.participants().size());
      for (String participant : share.participants()) {
        writeString(out, participant);
      }
      writeBlob(out, share.keyPackage().encode());
      writeBlob(out, share.publicKeyPackage().encode());
      writeBlob(out, share.groupPublicKey());
      out.writeLong(share.epoch());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * @throws IllegalArgumentException when the bytes are not an encoded share
   */
  static WalletShare decode(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      UUID walletId = new UUID(in.readLong(), in.readLong());
      String nodeId = readString(in);
      int identifier = in.readInt();
      int threshold = in.readInt();
      int count = in.readUnsignedShort();
      if (count > MAX_PARTICIPANTS) {
        throw new IllegalArgumentException("too many participants: " + count);
      }
      List<String> participants = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        participants.add(readString(in));
      }
      KeyPackage keyPackage = KeyPackage.decode(readBlob(in));
      PublicKeyPackage publicKeyPackage = PublicKeyPackage.decode(readBlob(in));
      byte[] groupPublicKey = readBlob(in);
      long epoch = in.available() == 0 ? 0 : in.readLong();
      if (in.available() != 0) {
        throw new IllegalArgumentException("trailing bytes after the share");
      }
      return new WalletShare(
          walletId,
          nodeId,
          identifier,
          threshold,
          participants,
          keyPackage,
          publicKeyPackage,
          groupPublicKey,
          epoch);
    } catch (IOException e) {
      throw new IllegalArgumentException("truncated share", e);
    }
  }

  private static void writeString(DataOutputStream out, String value) throws IOException {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    out.writeShort(utf8.length);
    out.write(utf8);
  }

  private static String readString(DataInputStream in) throws IOException {
    byte[] utf8 = new byte[in.readUnsignedShort()];
    in.readFully(utf8);
    return new String(utf8, StandardCharsets.UTF_8);
  }

  private static void writeBlob(DataOutputStream out, byte[] blob) throws IOException {
    out.writeInt(blob.length);
    out.write(blob);
  }

  private static byte[] readBlob(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > MAX_BLOB) {
      throw new IllegalArgumentException("field length out of range: " + length);
    }
    byte[] blob = new byte[length];
    in.readFully(blob);
    return blob;
  }
}
