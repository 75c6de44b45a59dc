package io.mpcw.systemtest.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.freeze.FreezingArchRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The module structure, read from each module's compiled production classes ({@code
 * target/classes}, so test code is never part of it): no package cycle inside a module, no service
 * importing another service, no production code depending on the test-support module. Violations
 * that existed when the rules came are frozen in {@code src/test/resources/archunit-frozen}: any
 * new one fails the build, and one that is fixed leaves the store.
 */
class ArchitectureTest {

  /** A Maven module, its root package, and whether it is a deployable service (or application). */
  record Module(String dir, String root, boolean service) {}

  static final List<Module> MODULES =
      List.of(
          new Module("common-types", "io.mpcw.types", false),
          new Module("mpc-crypto", "io.mpcw.crypto", false),
          new Module("cluster-transport", "io.mpcw.transport", false),
          new Module("etcd-client", "io.mpcw.etcd", false),
          new Module("embedded-infra", "io.mpcw.embedded", false),
          new Module("hostile-http", "io.mpcw.hostile", false),
          new Module("test-support", "io.mpcw.testsupport", false),
          new Module("web-problems", "io.mpcw.web", false),
          new Module("vote-ledger", "io.mpcw.votes", false),
          new Module("wallet-protocol", "io.mpcw.protocol", false),
          new Module("chain-rpc", "io.mpcw.chain", false),
          new Module("registry-service", "io.mpcw.registry", true),
          new Module("node-service", "io.mpcw.node", true),
          new Module("orchestrator-service", "io.mpcw.orchestrator", true),
          new Module("chain-simulator", "io.mpcw.chain.simulator", true),
          new Module("launcher", "io.mpcw.launcher", true));

  private static final Map<String, JavaClasses> IMPORTED = new ConcurrentHashMap<>();

  /** The module's production classes; a module that was not compiled fails, never passes. */
  static JavaClasses classesOf(Module module) {
    return IMPORTED.computeIfAbsent(
        module.dir(),
        dir -> {
          Path classes = Path.of("..", dir, "target", "classes");
          assertThat(classes).as("compiled classes of " + dir).isDirectory();
          JavaClasses imported = new ClassFileImporter().importPath(classes);
          assertThat(imported).as("classes of " + dir).isNotEmpty();
          return imported;
        });
  }

  @TestFactory
  Stream<DynamicTest> noModuleHasAPackageCycle() {
    return MODULES.stream()
        .map(
            m ->
                DynamicTest.dynamicTest(
                    m.dir(),
                    () ->
                        frozen(
                                slices()
                                    .matching(m.root() + ".(*)..")
                                    .should()
                                    .beFreeOfCycles()
                                    // a module of one package has no cycle to find
                                    .allowEmptyShould(true)
                                    .as(m.dir() + ": no package cycle"))
                            .check(classesOf(m))));
  }

  @TestFactory
  Stream<DynamicTest> noServiceImportsAnotherService() {
    return MODULES.stream()
        .filter(Module::service)
        .map(
            m ->
                DynamicTest.dynamicTest(
                    m.dir(),
                    () -> {
                      String[] others =
                          MODULES.stream()
                              .filter(o -> o.service() && o != m)
                              .filter(o -> !m.root().startsWith(o.root() + "."))
                              .map(o -> o.root() + "..")
                              .toArray(String[]::new);
                      frozen(
                              noClasses()
                                  .should()
                                  .dependOnClassesThat()
                                  .resideInAnyPackage(others)
                                  .as(m.dir() + ": imports no other service module"))
                          .check(classesOf(m));
                    }));
  }

  @TestFactory
  Stream<DynamicTest> noProductionCodeDependsOnTestSupport() {
    return MODULES.stream()
        .filter(m -> !m.dir().equals("test-support"))
        .map(
            m ->
                DynamicTest.dynamicTest(
                    m.dir(),
                    () ->
                        frozen(
                                noClasses()
                                    .should()
                                    .dependOnClassesThat()
                                    .resideInAPackage("io.mpcw.testsupport..")
                                    .as(m.dir() + ": production code uses no test support"))
                            .check(classesOf(m))));
  }

  private static ArchRule frozen(ArchRule rule) {
    return FreezingArchRule.freeze(rule);
  }

  @TestFactory
  Stream<DynamicTest> everyModuleOfTheBuildIsChecked() {
    return Stream.of(
        DynamicTest.dynamicTest(
            "the module list matches the parent pom",
            () -> {
              String pom = Files.readString(Path.of("..", "pom.xml"));
              for (String line : pom.split("\n")) {
                String trimmed = line.trim();
                if (trimmed.startsWith("<module>")) {
                  String dir = trimmed.replace("<module>", "").replace("</module>", "");
                  if (!dir.equals("system-tests")) {
                    assertThat(MODULES).extracting(Module::dir).as("modules checked").contains(dir);
                  }
                }
              }
            }));
  }
}
