package dev.weft.samples;

import dev.weft.http.HttpResponse;
import dev.weft.http.HttpSession;
import dev.weft.loop.Loops;
import dev.weft.net.StreamConnection;
import dev.weft.net.Streams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.weft.samples.CommandLine.weft;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code weft charfinder}: the index, the query command, and both servers on every backend. */
@Timeout(60)
class CharfinderTest {

    @Test
    void aQueryFindsTheCharactersWhoseNamesHoldEveryWord() {
        CommandLine cats = weft("charfinder", "query", "cat", "FACE");
        assertEquals(0, cats.status, cats.err);
        List<String> lines = cats.out.lines().toList();
        assertTrue(lines.contains("U+1F431\t\uD83D\uDC31\tCAT FACE"), cats.out);
        assertTrue(lines.contains("U+1F640\t\uD83D\uDE40\tWEARY CAT FACE"), cats.out);
        assertTrue(lines.stream().limit(lines.size() - 1).allMatch(l -> l.contains("CAT") && l.contains("FACE")));
        assertEquals((lines.size() - 1) + " characters found", lines.getLast());
        assertTrue(lines.size() > 5, "the cats of Unicode: " + cats.out);

        CommandLine hyphenated = weft("charfinder", "query", "heart-shaped");
        assertTrue(hyphenated.out.contains("SMILING CAT FACE WITH HEART-SHAPED EYES"), hyphenated.out);
        CommandLine none = weft("charfinder", "query", "no-such-word-xyz");
        assertEquals(1, none.status, "nothing found: status 1, as grep");
        assertEquals("0 characters found\n", none.out);
        CommandLine bad = weft("charfinder", "find", "cat");
        assertEquals(2, bad.status);
        assertTrue(bad.err.startsWith("weft charfinder: say query or serve, not 'find'"), bad.err);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void theServersAnswerOverTcpAndHttp(String backend) throws Exception {
        String expected = CharfinderServer.answer("cat face");
        List<String> answers = Loops.run(NamedLoops.named(backend), () -> {
            CharfinderServer server = CharfinderServer.start("127.0.0.1", 0, 0);
            try (StreamConnection tcp = Streams.openConnection("127.0.0.1", server.tcpPort());
                 HttpSession session = HttpSession.builder().build()) {
                String greeting = tcp.reader().readLine();
                tcp.writer().write("cat face\nchess king\n\n".getBytes(StandardCharsets.UTF_8));
                String overTcp = new String(tcp.reader().readAll(), StandardCharsets.UTF_8);
                String overHttp;
                try (HttpResponse page = session.get("http://127.0.0.1:" + server.httpPort() + "/?q=cat+face")) {
                    overHttp = page.status() + " " + page.text();
                }
                return List.of(greeting, overTcp, overHttp);
            } finally {
                server.close();
            }
        });
        assertTrue(answers.get(0).startsWith("charfinder: type words"), answers.get(0));
        assertEquals(expected + CharfinderServer.answer("chess king") + "bye\n", answers.get(1));
        assertEquals("200 " + expected, answers.get(2));
    }
}
