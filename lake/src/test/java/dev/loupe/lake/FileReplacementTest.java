package dev.loupe.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replace protocol on plain files: what a commit changes, what it leaves alone, each crash
 * point resolved by {@link FileReplacement#recover}, and the lock shared with another process.
 */
class FileReplacementTest {

  @TempDir Path dir;
  LakeLayout lake;
  Path partition;
  Path a;
  Path b;

  @BeforeEach
  void setUp() throws Exception {
    lake = LakeLayout.of(dir);
    partition = lake.events().resolve("event_date=2026-11-26/event_type=click");
    Files.createDirectories(partition);
    a = Files.writeString(partition.resolve("seg-a.parquet"), "a");
    b = Files.writeString(partition.resolve("seg-b.parquet"), "b");
  }

  @Test
  void commit_replacesExactlyTheSources_keepsAFileAddedMeanwhile() throws Exception {
    FileReplacement.Replacement r = FileReplacement.prepare(lake, partition, "d", List.of(a, b));
    Files.writeString(r.temp(), "ab");
    Path added = Files.writeString(partition.resolve("seg-c.parquet"), "c"); // the collector flushes meanwhile
    assertThat(files()).containsExactly(r.temp().getFileName().toString(), "seg-a.parquet", "seg-b.parquet", added.getFileName().toString());

    assertThat(r.commit()).isTrue();

    assertThat(files()).containsExactlyInAnyOrder(r.target().getFileName().toString(), "seg-c.parquet");
    assertThat(Files.readString(r.target())).isEqualTo("ab");
    assertThat(r.target().getFileName().toString()).startsWith("d-").endsWith(".parquet");
    assertThat(intents()).isEmpty();
  }

  @Test
  void commit_sourceGoneMeanwhile_changesNothing() throws Exception {
    FileReplacement.Replacement r = FileReplacement.prepare(lake, partition, "c", List.of(a, b));
    Files.writeString(r.temp(), "ab");
    Files.delete(b); // compacted by someone else

    assertThat(r.commit()).isFalse();

    assertThat(files()).containsExactly("seg-a.parquet");
    assertThat(Files.exists(r.temp())).isFalse();
    assertThat(intents()).isEmpty();
  }

  @Test
  void prepare_sourceOutsideThePartition_rejected() {
    Path other = lake.events().resolve("event_date=2026-11-25/event_type=click/seg-x.parquet");
    assertThatThrownBy(() -> FileReplacement.prepare(lake, partition, "d", List.of(a, other)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("seg-x.parquet").hasMessageContaining("is not a file of partition");
  }

  @Test
  void commit_withoutTheNewFile_isAnError() {
    FileReplacement.Replacement r = FileReplacement.prepare(lake, partition, "d", List.of(a));
    assertThatThrownBy(r::commit).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("was not written to").hasMessageContaining(r.temp().toString());
  }

  @Test
  void recover_killedBeforeTheRename_keepsTheSourcesAndDropsTheTemporaryFile() throws Exception {
    Path target = partition.resolve("d-1.parquet");
    Path temp = Files.writeString(partition.resolve(".d-1.parquet.tmp"), "ab");
    intent("1", target, temp, a, b);

    assertThat(FileReplacement.recover(lake)).isEqualTo(1);

    assertThat(files()).containsExactly("seg-a.parquet", "seg-b.parquet");
    assertThat(intents()).isEmpty();
  }

  @Test
  void recover_killedWhileDeletingSources_finishesTheDeletion() throws Exception {
    Path target = Files.writeString(partition.resolve("d-2.parquet"), "ab");
    Files.delete(a); // the first source was deleted before the kill
    intent("2", target, partition.resolve(".d-2.parquet.tmp"), a, b);

    assertThat(FileReplacement.recover(lake)).isEqualTo(1);

    assertThat(files()).containsExactly("d-2.parquet");
    assertThat(intents()).isEmpty();
  }

  @Test
  void recover_tornIntent_isDiscardedAndNothingElseChanges() throws Exception {
    Path intents = lake.state().resolve("compaction");
    Files.createDirectories(intents);
    Files.writeString(intents.resolve("3.intent"), partition.resolve("d-3.parquet") + "\n" + a); // no "end"

    assertThat(FileReplacement.recover(lake)).isEqualTo(1);

    assertThat(files()).containsExactly("seg-a.parquet", "seg-b.parquet");
    assertThat(intents()).isEmpty();
  }

  @Test
  void commit_waitsWhileAnotherProcessHoldsTheRewriteLock() throws Exception {
    Path released = dir.resolve("released");
    Process other = otherJvm(LockHolder.class, lake.state().resolve("rewrite.lock").toString(), released.toString());
    try (BufferedReader out = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(out.readLine()).isEqualTo("locked");
      FileReplacement.Replacement r = FileReplacement.prepare(lake, partition, "d", List.of(a, b));
      Files.writeString(r.temp(), "ab");

      assertThat(r.commit()).isTrue();

      assertThat(released).as("the commit ran only after the other process released the lock").exists();
      assertThat(files()).containsExactly(r.target().getFileName().toString());
    } finally {
      assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void readerInAnotherProcess_commitWaits_commitUnlessBusyGivesUp() throws Exception {
    Path released = dir.resolve("released");
    Process other = otherJvm(ReadingHolder.class, dir.toString(), released.toString());
    try (BufferedReader out = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(out.readLine()).isEqualTo("reading");
      FileReplacement.Replacement busy = FileReplacement.prepare(lake, partition, "c", List.of(a, b));
      Files.writeString(busy.temp(), "ab");

      assertThat(busy.commitUnlessBusy()).as("compaction gives up while another process reads").isFalse();
      assertThat(files()).containsExactly("seg-a.parquet", "seg-b.parquet");
      assertThat(released).doesNotExist();

      FileReplacement.Replacement r = FileReplacement.prepare(lake, partition, "d", List.of(a, b));
      Files.writeString(r.temp(), "ab");
      assertThat(r.commit()).isTrue();
      assertThat(released).as("the commit ran only after the reader released the lock").exists();
      assertThat(files()).containsExactly(r.target().getFileName().toString());
    } finally {
      assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void readersInThisProcess_shareTheLock_commitsWaitForAll() throws Exception {
    ExecutorService readers = Executors.newFixedThreadPool(2);
    try {
      CountDownLatch holding = new CountDownLatch(2);
      CountDownLatch release = new CountDownLatch(1);
      List<Future<?>> reads = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        reads.add(readers.submit(() -> {
          try (FileReplacement.Reading lock = FileReplacement.lockForReading(lake)) {
            holding.countDown();
            release.await();
          }
          return null;
        }));
      }
      assertThat(holding.await(10, TimeUnit.SECONDS)).as("the second reader did not wait for the first").isTrue();
      FileReplacement.Replacement busy = FileReplacement.prepare(lake, partition, "c", List.of(a, b));
      Files.writeString(busy.temp(), "ab");
      assertThat(busy.commitUnlessBusy()).isFalse();
      assertThat(busy.temp()).doesNotExist();

      FileReplacement.Replacement r = FileReplacement.prepare(lake, partition, "d", List.of(a, b));
      Files.writeString(r.temp(), "ab");
      ExecutorService committer = Executors.newSingleThreadExecutor();
      try {
        Future<Boolean> waiting = committer.submit(r::commit);
        Thread.sleep(300);
        assertThat(waiting).as("a commit waits while readers hold the lock").isNotDone();
        release.countDown();
        for (Future<?> f : reads) {
          f.get(10, TimeUnit.SECONDS);
        }
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isTrue();
      } finally {
        committer.shutdownNow();
      }
      assertThat(files()).containsExactly(r.target().getFileName().toString());
    } finally {
      readers.shutdownNow();
    }
  }

  @Test
  void reader_waitsForACommitInAnotherProcess() throws Exception {
    Path released = dir.resolve("released");
    Process other = otherJvm(LockHolder.class, lake.state().resolve("rewrite.lock").toString(), released.toString());
    try (BufferedReader out = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(out.readLine()).isEqualTo("locked");
      try (FileReplacement.Reading lock = FileReplacement.lockForReading(lake)) {
        assertThat(released).as("the read began only after the rewriter released the lock").exists();
      }
    } finally {
      assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void reader_ofALakeThatDoesNotExist_createsNothing() throws Exception {
    LakeLayout missing = LakeLayout.of(dir.resolve("no-lake"));
    try (FileReplacement.Reading lock = FileReplacement.lockForReading(missing)) {
      assertThat(dir.resolve("no-lake")).doesNotExist();
    }
  }

  /** Starts {@code main} in another JVM on this test's class path, its output merged into one stream. */
  private static Process otherJvm(Class<?> main, String... args) throws java.io.IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  /** Holds the rewrite lock shared, as a reader does, for a second in another process. */
  public static final class ReadingHolder {
    public static void main(String[] args) throws Exception {
      try (FileReplacement.Reading lock = FileReplacement.lockForReading(LakeLayout.of(Path.of(args[0])))) {
        System.out.println("reading");
        System.out.flush();
        Thread.sleep(1_000);
        Files.writeString(Path.of(args[1]), "released");
      }
    }
  }

  /** Holds the rewrite lock for a second in another process, then marks and releases it. */
  public static final class LockHolder {
    public static void main(String[] args) throws Exception {
      Path lockFile = Path.of(args[0]);
      Files.createDirectories(lockFile.getParent());
      try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        FileLock lock = ch.lock();
        System.out.println("locked");
        System.out.flush();
        Thread.sleep(1_000);
        Files.writeString(Path.of(args[1]), "released");
        lock.release();
      }
    }
  }

  private void intent(String id, Path target, Path temp, Path... sources) throws Exception {
    Path intents = lake.state().resolve("compaction");
    Files.createDirectories(intents);
    StringBuilder sb = new StringBuilder(target + "\n" + temp + "\n");
    for (Path s : sources) {
      sb.append(s).append('\n');
    }
    Files.writeString(intents.resolve(id + ".intent"), sb + "end\n");
  }

  private List<String> files() throws Exception {
    try (Stream<Path> s = Files.list(partition)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private List<Path> intents() throws Exception {
    Path intents = lake.state().resolve("compaction");
    if (!Files.isDirectory(intents)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(intents)) {
      return s.toList();
    }
  }
}
