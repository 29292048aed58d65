package org.sentryml.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.sentryml.testkit.TestTags;

/**
 * The layering of DESIGN §2, over the production classes of every module: dependencies point down
 * core ← confidential ← data ← training ← cli-support ← cli, agents and spark (sentry-spark, which
 * nothing depends on, and the only module that uses Spark), core imports no CLI, ML, parquet or tar
 * library, and no two packages depend on each other in a cycle (a backend such as {@code
 * engine.cuda} counts as part of its parent package, whose factory creates it). Importing every
 * module's classes takes about ten seconds, hence the slow tier.
 */
@Tag(TestTags.SLOW)
class LayeringTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.sentryml");
  }

  @Test
  void modulesDependOnlyOnTheLayersBelowThem() {
    layeredArchitecture()
        .consideringOnlyDependenciesInAnyPackage("org.sentryml..")
        .layer("core")
        .definedBy("org.sentryml.core..")
        .layer("confidential")
        .definedBy("org.sentryml.confidential..")
        .layer("data")
        .definedBy("org.sentryml.data..")
        .layer("training")
        .definedBy("org.sentryml.training..")
        .layer("cli-support")
        .definedBy("org.sentryml.clisupport..")
        .layer("cli")
        .definedBy("org.sentryml.cli..")
        .layer("agents")
        .definedBy("org.sentryml.agent..")
        .layer("spark")
        .definedBy("org.sentryml.spark..")
        .whereLayer("spark")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("agents")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("cli")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("cli-support")
        .mayOnlyBeAccessedByLayers("cli", "agents", "spark")
        .whereLayer("training")
        .mayOnlyBeAccessedByLayers("cli-support", "cli", "agents", "spark")
        .whereLayer("data")
        .mayOnlyBeAccessedByLayers("training", "cli-support", "cli", "agents", "spark")
        .whereLayer("confidential")
        .mayOnlyBeAccessedByLayers("data", "training", "cli-support", "cli", "agents", "spark")
        .check(classes);
  }

  @Test
  void coreImportsNoCommandLineMlParquetOrTarLibrary() {
    noClasses()
        .that()
        .resideInAPackage("org.sentryml.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "picocli..",
            "ai.djl..",
            "org.duckdb..",
            "org.apache.commons.compress..",
            "me.tongfei..")
        .check(classes);
  }

  @Test
  void onlyTheCommandLineLayersUsePicocli() {
    noClasses()
        .that()
        .resideOutsideOfPackages(
            "org.sentryml.clisupport..",
            "org.sentryml.cli..",
            "org.sentryml.agent..",
            "org.sentryml.spark..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("picocli..")
        .check(classes);
  }

  @Test
  void onlySentrySparkUsesSpark() {
    noClasses()
        .that()
        .resideOutsideOfPackage("org.sentryml.spark..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.spark..", "scala..")
        .check(classes);
  }

  @Test
  void noPackagesDependOnEachOtherInACycle() {
    slices().matching("org.sentryml.(*).(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void exitCodesAreChosenOnlyAtTheCommandLineEdge() {
    noClasses()
        .that()
        .resideOutsideOfPackages(
            "org.sentryml.clisupport..",
            "org.sentryml.cli..",
            "org.sentryml.agent..",
            "org.sentryml.spark..")
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("org.sentryml.clisupport.ExitCode")
        .check(classes);
  }

  /**
   * The testkit is test scope only: production classes never use it, and it uses no Sentry module.
   */
  @Test
  void theTestkitStandsApartFromTheProduct() {
    noClasses()
        .that()
        .resideOutsideOfPackage("org.sentryml.testkit..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.sentryml.testkit..")
        .check(classes);
    noClasses()
        .that()
        .resideInAPackage("org.sentryml.testkit..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("org.sentryml..").and(not(resideInAPackage("org.sentryml.testkit.."))))
        .check(classes);
  }
}
