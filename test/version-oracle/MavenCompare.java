// Oracle: Maven's own ComparableVersion (maven-artifact). Run with the JDK's source launcher:
// java -cp maven-artifact.jar MavenCompare.java; reads "a<TAB>b" lines, prints -1, 0 or 1 each.
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import org.apache.maven.artifact.versioning.ComparableVersion;

public class MavenCompare {
  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, "UTF-8"));
    PrintWriter out = new PrintWriter(System.out);
    for (String line; (line = in.readLine()) != null; ) {
      String[] ab = line.split("\t", 2);
      int r = new ComparableVersion(ab[0]).compareTo(new ComparableVersion(ab[1]));
      out.println(Integer.signum(r));
    }
    out.flush();
  }
}
