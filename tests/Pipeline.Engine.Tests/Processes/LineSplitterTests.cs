using System.Text;
using Pipeline.Engine.Events;
using Pipeline.Engine.Processes.Posix;

namespace Pipeline.Engine.Tests.Processes;

public sealed class LineSplitterTests
{
    private static List<string> Split(params byte[][] reads)
    {
        var lines = new List<string>();
        var splitter = new LineSplitter(OutputStream.Stdout);
        var chars = new char[1024];
        foreach (var read in reads) splitter.Feed(read, chars, (_, line) => lines.Add(line));
        splitter.Finish(chars, (_, line) => lines.Add(line));
        return lines;
    }

    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void Splits_on_lf_crlf_and_a_lone_cr_like_StreamReader()
    {
        var text = "one\ntwo\r\nthree\rfour\n\nlast";
        var expected = new List<string>();
        using (var reader = new StringReader(text))
            while (reader.ReadLine() is { } line) expected.Add(line);
        Assert.Equal(expected, Split(B(text)));
        Assert.Equal(["one", "two", "three", "four", "", "last"], Split(B(text)));
    }

    [Fact]
    public void A_crlf_split_between_two_reads_is_one_line_break()
    {
        Assert.Equal(["a", "b"], Split(B("a\r"), B("\nb\n")));
    }

    [Fact]
    public void A_character_split_between_two_reads_is_kept_whole()
    {
        var bytes = B("é€😀\n");
        var lines = Split(bytes[..1], bytes[1..3], bytes[3..6], bytes[6..]);
        Assert.Equal(["é€😀"], lines);
    }

    [Fact]
    public void Text_without_a_final_line_break_is_the_last_line_and_empty_input_has_none()
    {
        Assert.Equal(["partial"], Split(B("par"), B("tial")));
        Assert.Empty(Split(B("")));
        Assert.Equal([""], Split(B("\n")));
    }
}
