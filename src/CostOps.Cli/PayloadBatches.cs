namespace CostOps.Cli;

/// <summary>
/// Splits a stream into payloads for the ingestion handler: NDJSON is cut at a line end every N lines, or as soon as a
/// payload holds <c>bytesPerBatch</c> bytes (so memory stays bounded whatever the lines' length); a JSON array or single
/// document (first non-blank byte '[', or one object over several lines) is read whole.
/// </summary>
public static class PayloadBatches
{
    public static async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadAsync(Stream stream, int linesPerBatch,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken, int bytesPerBatch = int.MaxValue)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[1 << 20];
        var lines = 0;
        bool? ndjson = null;
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            ndjson ??= LooksLikeNdjson(chunk.AsSpan(0, read));
            if (ndjson == false)
            {
                buffer.Write(chunk, 0, read);
                continue;
            }
            var start = 0;
            for (var i = 0; i < read; i++)
            {
                if (chunk[i] != (byte)'\n' || (++lines < linesPerBatch && buffer.Length + i + 1 - start < bytesPerBatch)) continue;
                buffer.Write(chunk, start, i + 1 - start);
                start = i + 1;
                yield return buffer.ToArray();
                buffer.SetLength(0);
                lines = 0;
            }
            buffer.Write(chunk, start, read - start);
        }
        if (buffer.Length > 0) yield return buffer.ToArray();
    }

    // NDJSON starts with '{' and has its first line end right after a complete object; a pretty-printed document
    // has '{' followed by a line break. A leading '[' is an array.
    private static bool LooksLikeNdjson(ReadOnlySpan<byte> head)
    {
        var text = head.TrimStart(" \t\r\n\uFEFF"u8);
        if (text.IsEmpty || text[0] == (byte)'[') return false;
        var firstLine = text.IndexOf((byte)'\n');
        var line = firstLine < 0 ? text : text[..firstLine];
        return line.TrimEnd(" \t\r"u8).EndsWith("}"u8);
    }
}
