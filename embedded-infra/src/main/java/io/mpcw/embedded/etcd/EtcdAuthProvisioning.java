package io.mpcw.embedded.etcd;

import io.etcd.jetcd.Auth;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.auth.Permission;
import io.mpcw.transport.pki.ClusterPki;
import io.mpcw.types.etcd.EtcdAccessPolicy;
import io.mpcw.types.etcd.EtcdAccessPolicy.Grant;
import io.mpcw.types.etcd.EtcdAccessPolicy.Role;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates etcd's users and roles through the operator's ({@code root}) connection, idempotently:
 * running it again on a provisioned cluster changes nothing, and granting a role a range it already
 * has is a no-op in etcd. Every user gets a random password that is never stored or shown: etcd 3.4
 * cannot create a user without one, and the users authenticate by certificate only.
 */
public final class EtcdAuthProvisioning {
  private static final long TIMEOUT_SECONDS = 10;
  private static final SecureRandom RANDOM = new SecureRandom();

  private EtcdAuthProvisioning() {}

  /** The {@code root} user with etcd's built-in root role, then authentication on. */
  public static void enableAuth(Client operator) {
    Auth auth = operator.getAuthClient();
    ensureUser(auth, ClusterPki.ETCD_ROOT, "root");
    await(auth.authEnable());
  }

  /** Each role with its grants, and a user of the same name holding it. */
  public static void provision(Client operator, List<Role> roles) {
    Auth auth = operator.getAuthClient();
    List<String> existing = await(auth.roleList()).getRoles();
    for (Role role : roles) {
      if (!existing.contains(role.name())) {
        await(auth.roleAdd(bytes(role.name())));
      }
      for (Grant grant : role.grants()) {
        await(
            auth.roleGrantPermission(
                bytes(role.name()),
                bytes(grant.key()),
                bytes(grant.rangeEnd()),
                type(grant.permission())));
      }
      ensureUser(auth, role.name(), role.name());
    }
  }

  private static void ensureUser(Auth auth, String user, String role) {
    if (!await(auth.userList()).getUsers().contains(user)) {
      await(auth.userAdd(bytes(user), bytes(discardedPassword())));
    }
    await(auth.userGrantRole(bytes(user), bytes(role)));
  }

  /** A password nobody will know: the user authenticates by certificate only. */
  private static String discardedPassword() {
    byte[] random = new byte[32];
    RANDOM.nextBytes(random);
    return Base64.getEncoder().encodeToString(random);
  }

  private static Permission.Type type(EtcdAccessPolicy.Permission permission) {
    return switch (permission) {
      case READ -> Permission.Type.READ;
      case WRITE -> Permission.Type.WRITE;
      case READWRITE -> Permission.Type.READWRITE;
    };
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  private static <T> T await(CompletableFuture<T> call) {
    try {
      return call.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("etcd auth provisioning failed: " + e.getCause(), e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("etcd auth provisioning timed out", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while provisioning etcd", e);
    }
  }
}
