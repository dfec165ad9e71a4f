package dev.loupe.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalPostgresTest {

  @TempDir Path dir;

  @Test
  void findBinaries_noneAnywhereSaysWhatToInstall() {
    assertThatThrownBy(() -> LocalPostgres.findBinaries(null, dir.resolve("none"), dir.toString()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no PostgreSQL server binaries found (looked in $LOUPE_PG_BIN, " + dir.resolve("none")
            + "/*/bin and the PATH for initdb): install the Debian package 'postgresql'");
  }

  @Test
  void findBinaries_prefersTheNewestDebianVersion() throws Exception {
    for (String v : new String[] {"9", "15", "13"}) {
      Path bin = Files.createDirectories(dir.resolve("pg/" + v + "/bin"));
      Files.createFile(bin.resolve("initdb"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    }
    assertThat(LocalPostgres.findBinaries(null, dir.resolve("pg"), "")).isEqualTo(dir.resolve("pg/15/bin"));
  }

  @Test
  void start_runsARealServer() throws Exception {
    try (Connection c = TestDatabases.postgresServer().connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT current_setting('server_version_num')::int >= 120000, current_user")) {
      rs.next();
      assertThat(rs.getBoolean(1)).isTrue();
      assertThat(rs.getString(2)).isEqualTo("postgres");
    }
  }

  @Test
  void startIn_keepsTheDataForTheNextStart() throws Exception {
    Path keep = Files.createTempDirectory("loupe-pg-keep-");
    try {
      try (LocalPostgres pg = LocalPostgres.startIn(keep);
          Connection c = pg.connect();
          Statement st = c.createStatement()) {
        st.execute("CREATE TABLE kept AS SELECT g AS x FROM generate_series(1, 1000) g");
      }
      assertThat(keep.resolve("data/PG_VERSION")).exists();
      try (LocalPostgres pg = LocalPostgres.startIn(keep);
          Connection c = pg.connect();
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT COUNT(*), SUM(x) FROM kept")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(1000);
        assertThat(rs.getLong(2)).isEqualTo(500_500);
      }
    } finally {
      try (var files = Files.walk(keep)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
