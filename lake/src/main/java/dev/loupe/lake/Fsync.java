package dev.loupe.lake;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** fsync for files and directories (a rename or a new file is durable once its directory is). */
public final class Fsync {

  private Fsync() {}

  public static void file(Path p) throws IOException {
    try (FileChannel c = FileChannel.open(p, StandardOpenOption.WRITE)) {
      c.force(true);
    }
  }

  public static void directory(Path dir) throws IOException {
    try (FileChannel c = FileChannel.open(dir, StandardOpenOption.READ)) {
      c.force(true);
    } catch (IOException e) {
      // Some file systems refuse to open directories for sync; data files are still synced.
      if (!e.getMessage().contains("Is a directory")) {
        throw e;
      }
    }
  }
}
