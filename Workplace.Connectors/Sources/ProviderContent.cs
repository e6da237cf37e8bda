namespace Workplace.Connectors.Sources;

/// <summary>A provider's answer read into memory, up to a bound that a source sets for what it expects of that answer.</summary>
public static class ProviderContent
{
    /// <returns>
    /// The body, or null when it is longer than <paramref name="limit"/>: checked as it streams, since a length header
    /// may be absent or wrong, so no more than the limit is ever held.
    /// </returns>
    public static async Task<MemoryStream?> ReadBoundedAsync(HttpContent content, long limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.Headers.ContentLength > limit)
        {
            return null;
        }
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var body = new MemoryStream();
        var chunk = new byte[81_920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (body.Length + read > limit)
            {
                await body.DisposeAsync();
                return null;
            }
            body.Write(chunk, 0, read);
        }
        body.Position = 0;
        return body;
    }
}
