package io.sseservice.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps README.md's Java snippets true: each one follows a link to the complete file it comes
 * from, a source file that the build compiles, and that file holds the snippet's lines in the
 * same order (blanks and runs of spaces aside). A snippet edited without its file, or a file
 * changed without the README, fails here.
 */
class ReadmeSnippetsTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern LINK = Pattern.compile("\\]\\((\\S+?\\.java)\\)");

  @Test
  void everyJavaSnippetIsPartOfACompiledFileItLinksTo() throws IOException {
    List<String> readme = Files.readAllLines(ROOT.resolve("README.md"));
    List<String> problems = new ArrayList<>();
    int snippets = 0;
    for (int i = 0; i < readme.size(); i++) {
      if (!readme.get(i).trim().equals("```java")) {
        continue;
      }
      snippets++;
      int start = i + 1;
      List<String> snippet = new ArrayList<>();
      for (i = start; i < readme.size() && !readme.get(i).trim().equals("```"); i++) {
        snippet.add(readme.get(i));
      }
      String where = "README.md line " + start;
      Matcher link = LINK.matcher(previousText(readme, start - 1));
      if (!link.find()) {
        problems.add(where + ": the line before a Java snippet must link to its complete file");
        continue;
      }
      Path file = ROOT.resolve(link.group(1)).normalize();
      if (!Files.isRegularFile(file) || !link.group(1).contains("/src/")) {
        problems.add(where + ": " + link.group(1) + " is not a source file of a module");
        continue;
      }
      String missing = firstLineNotInOrder(snippet, Files.readAllLines(file));
      if (missing != null) {
        problems.add(where + ": " + link.group(1) + " does not have, in order: " + missing);
      }
    }
    assertThat(snippets).as("Java snippets in README.md").isGreaterThan(5);
    assertThat(problems).isEmpty();
  }

  private static String previousText(List<String> lines, int fence) {
    for (int j = fence - 1; j >= 0; j--) {
      if (!lines.get(j).isBlank()) {
        return lines.get(j);
      }
    }
    return "";
  }

  private static String firstLineNotInOrder(List<String> snippet, List<String> file) {
    int at = 0;
    for (String line : snippet) {
      String wanted = normalize(line);
      if (wanted.isEmpty()) {
        continue;
      }
      while (at < file.size() && !normalize(file.get(at)).equals(wanted)) {
        at++;
      }
      if (at == file.size()) {
        return "'" + line.trim() + "'";
      }
      at++;
    }
    return null;
  }

  private static String normalize(String line) {
    return line.trim().replaceAll("\\s+", " ");
  }
}
