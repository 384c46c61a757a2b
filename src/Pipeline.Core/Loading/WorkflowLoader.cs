using System;
using System.IO;
using System.Text;
using Pipeline.Core.Diagnostics;
using Pipeline.Core.Reading;
using Pipeline.Core.Taskfile;
using Pipeline.Core.Text;

namespace Pipeline.Core.Loading;

/// <summary>
/// Reads a workflow file from disk: refuses files over <see cref="WorkflowFiles.MaxFileBytes"/>, decodes
/// strict UTF-8 (a BOM is allowed; invalid bytes are WF1003 at the line and column where they start)
/// and hands the text to the reader for its format. Never throws for a bad file.
/// </summary>
public static class WorkflowLoader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static ReadResult Load(string path, WorkflowFileKind? kind = null)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) return Fail(path, Descriptors.FileUnreadable, "file not found", "check the path");
            // Checked before reading, so a huge file is never loaded into memory.
            if (info.Length > WorkflowFiles.MaxFileBytes) return TooLarge(path, info.Length);
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Fail(path, Descriptors.FileUnreadable, $"cannot read the file: {ex.Message}", "check that it exists and that you may read it");
        }
        return Read(path, bytes, kind ?? WorkflowFiles.KindOf(path));
    }

    /// <summary>Reads from bytes already in memory (tests, the MSBuild task, stdin).</summary>
    public static ReadResult Read(string path, byte[] bytes, WorkflowFileKind kind)
    {
        if (bytes.Length > WorkflowFiles.MaxFileBytes) return TooLarge(path, bytes.Length);
        if (!TryDecode(path, bytes, out var text, out var failure)) return failure!;
        var document = new SourceDocument(path, text);
        return kind switch
        {
            WorkflowFileKind.Taskfile => TaskfileReader.Read(document),
            WorkflowFileKind.WorkflowYaml => WorkflowJsonReader.ReadYaml(document),
            _ => WorkflowJsonReader.Read(document),
        };
    }

    private static bool TryDecode(string path, byte[] bytes, out string text, out ReadResult? failure)
    {
        failure = null;
        text = string.Empty;
        if (bytes.Length >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)))
        {
            failure = Fail(path, Descriptors.Encoding, "the file is UTF-16; workflow files must be UTF-8", "save the file as UTF-8");
            return false;
        }
        var offset = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        try
        {
            text = StrictUtf8.GetString(bytes, offset, bytes.Length - offset);
        }
        catch (DecoderFallbackException ex)
        {
            // Decode the valid prefix so the position of the first bad byte can be given as line and column.
            var bad = offset + Math.Max(0, FirstInvalidByte(bytes, offset));
            var prefix = StrictUtf8.GetString(bytes, offset, bad - offset);
            var doc = new SourceDocument(path, prefix);
            var span = doc.Span(prefix.Length, prefix.Length);
            failure = new ReadResult(null, null, new[]
            {
                new Diagnostic(Descriptors.Encoding, span, $"the file is not valid UTF-8: byte 0x{bytes[bad]:X2} at offset {bad} ({ex.Message.TrimEnd('.')})",
                    "save the file as UTF-8 (it may be Latin-1 / Windows-1252, or binary)"),
            });
            return false;
        }
        if (text.IndexOf('\0') >= 0)
        {
            var doc = new SourceDocument(path, text);
            var at = text.IndexOf('\0');
            failure = new ReadResult(doc, null, new[] { new Diagnostic(Descriptors.Encoding, doc.Span(at, at + 1), "the file contains a NUL character: it looks binary", "workflow files are UTF-8 text") });
            return false;
        }
        return true;
    }

    private static int FirstInvalidByte(byte[] bytes, int start)
    {
        var i = start;
        while (i < bytes.Length)
        {
            var b = bytes[i];
            int length = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 0;
            if (length == 0 || i + length > bytes.Length) return i;
            try
            {
                StrictUtf8.GetString(bytes, i, length);
            }
            catch (DecoderFallbackException)
            {
                return i;
            }
            i += length;
        }
        return bytes.Length - 1;
    }

    private static ReadResult TooLarge(string path, long length) =>
        Fail(path, Descriptors.FileTooLarge, $"file is {length / (1024.0 * 1024.0):0.0} MiB; the limit is {WorkflowFiles.MaxFileBytes / (1024 * 1024)} MiB",
            "a workflow file is a few kilobytes; split it, or check that this is the right file");

    private static ReadResult Fail(string path, DiagnosticDescriptor descriptor, string message, string hint) =>
        new(null, null, new[] { new Diagnostic(descriptor, SourceSpan.FileStart(path), message, hint) });
}
