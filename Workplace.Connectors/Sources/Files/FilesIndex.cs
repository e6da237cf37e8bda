using Microsoft.Data.Sqlite;

namespace Workplace.Connectors.Sources.Files;

/// <summary>A document as the index holds it: its path relative to the root, '/'-separated.</summary>
public sealed record IndexedFile(string Path, string Title, string Markdown, DateTimeOffset Modified, long Size, string MimeType);

public sealed record FileHit(string Path, string Title, string Snippet, DateTimeOffset Modified, string MimeType, double Score, string? Markdown);

/// <summary>The change-detection stamp of an indexed file.</summary>
public readonly record struct FileStamp(long ModifiedTicks, long Size);

/// <summary>
/// Full-text index of the files source: SQLite FTS5 in memory (BM25 ranking, snippets, Porter stemming over
/// unicode61 with diacritics removed). One connection behind a lock: SQLite connections are not thread-safe,
/// and a search takes about a millisecond, so serialising beats the complexity of a pool.
/// </summary>
public sealed class FilesIndex : IDisposable
{
    // Title matches weigh ten times body matches.
    private const string Rank = "bm25(fts, 10.0, 1.0)";
    private const int SnippetTokens = 32;

    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();

    // A search runs four statement shapes, up to 23 times: each is prepared once and kept, under the gate.
    private readonly Dictionary<string, SqliteCommand> _searchStatements = new(StringComparer.Ordinal);

    public FilesIndex()
    {
        _connection = new SqliteConnection("Data Source=:memory:");
        _connection.Open();
        Execute("""
            CREATE TABLE docs(id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, modified INTEGER NOT NULL, size INTEGER NOT NULL, mime TEXT NOT NULL);
            CREATE VIRTUAL TABLE fts USING fts5(title, body, tokenize = 'porter unicode61 remove_diacritics 2');
            """);
    }

    public long Count
    {
        get
        {
            lock (_gate)
            {
                using var command = _connection.CreateCommand();
                command.CommandText = "SELECT count(*) FROM docs";
                return (long)command.ExecuteScalar()!;
            }
        }
    }

    public Dictionary<string, FileStamp> Stamps()
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT path, modified, size FROM docs";
            using var reader = command.ExecuteReader();
            var stamps = new Dictionary<string, FileStamp>(StringComparer.Ordinal);
            while (reader.Read())
            {
                stamps[reader.GetString(0)] = new FileStamp(reader.GetInt64(1), reader.GetInt64(2));
            }
            return stamps;
        }
    }

    public void Upsert(IReadOnlyCollection<IndexedFile> files)
    {
        if (files.Count == 0)
        {
            return;
        }
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            using var find = Command("SELECT id FROM docs WHERE path = $path", transaction);
            using var update = Command("UPDATE docs SET modified = $modified, size = $size, mime = $mime WHERE id = $id", transaction);
            using var insert = Command("INSERT INTO docs(path, modified, size, mime) VALUES ($path, $modified, $size, $mime) RETURNING id", transaction);
            using var unindex = Command("DELETE FROM fts WHERE rowid = $id", transaction);
            using var index = Command("INSERT INTO fts(rowid, title, body) VALUES ($id, $title, $body)", transaction);
            foreach (var file in files)
            {
                find.Parameters.Clear();
                find.Parameters.AddWithValue("$path", file.Path);
                long id;
                if (find.ExecuteScalar() is long existing)
                {
                    id = existing;
                    update.Parameters.Clear();
                    update.Parameters.AddWithValue("$id", id);
                    AddStamp(update, file);
                    update.ExecuteNonQuery();
                    unindex.Parameters.Clear();
                    unindex.Parameters.AddWithValue("$id", id);
                    unindex.ExecuteNonQuery();
                }
                else
                {
                    insert.Parameters.Clear();
                    insert.Parameters.AddWithValue("$path", file.Path);
                    AddStamp(insert, file);
                    id = (long)insert.ExecuteScalar()!;
                }
                index.Parameters.Clear();
                index.Parameters.AddWithValue("$id", id);
                index.Parameters.AddWithValue("$title", file.Title);
                index.Parameters.AddWithValue("$body", file.Markdown);
                index.ExecuteNonQuery();
            }
            transaction.Commit();
        }
    }

    public void Remove(IReadOnlyCollection<string> paths)
    {
        if (paths.Count == 0)
        {
            return;
        }
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            using var unindex = Command("DELETE FROM fts WHERE rowid = (SELECT id FROM docs WHERE path = $path)", transaction);
            using var delete = Command("DELETE FROM docs WHERE path = $path", transaction);
            foreach (var path in paths)
            {
                foreach (var command in new[] { unindex, delete })
                {
                    command.Parameters.Clear();
                    command.Parameters.AddWithValue("$path", path);
                    command.ExecuteNonQuery();
                }
            }
            transaction.Commit();
        }
    }

    public IndexedFile? Get(string path)
    {
        lock (_gate)
        {
            using var command = Command("SELECT d.modified, d.size, d.mime, fts.title, fts.body FROM docs d JOIN fts ON fts.rowid = d.id WHERE d.path = $path");
            command.Parameters.AddWithValue("$path", path);
            using var reader = command.ExecuteReader();
            return reader.Read()
                ? new IndexedFile(path, reader.GetString(3), reader.GetString(4), new DateTimeOffset(reader.GetInt64(0), TimeSpan.Zero), reader.GetInt64(1), reader.GetString(2))
                : null;
        }
    }

    /// <summary>
    /// Ranks in tiers: documents holding the whole query as an exact phrase first, then documents holding
    /// every term (and every quoted phrase), then, while the list is short, documents holding any of them. Within a tier,
    /// BM25. The score is the tier plus BM25 squashed into [0, 1), so it falls monotonically down the list.
    /// </summary>
    public IReadOnlyList<FileHit> Search(FtsQuery query, int maxResults, DateTimeOffset? modifiedAfter, bool includeContent)
    {
        if (query.IsEmpty)
        {
            return [];
        }
        lock (_gate)
        {
            var ranked = new List<(long Id, double Score)>();
            var seen = new HashSet<long>();
            void Tier(string match, int tier)
            {
                if (ranked.Count >= maxResults)
                {
                    return;
                }
                // The join is only paid for when a date filter needs it: frequent words match most documents.
                var command = SearchStatement(modifiedAfter is null
                    ? $"SELECT rowid, {Rank} FROM fts WHERE fts MATCH $match ORDER BY 2 LIMIT $limit"
                    : $"""
                        SELECT fts.rowid, {Rank} FROM fts JOIN docs d ON d.id = fts.rowid
                        WHERE fts MATCH $match AND d.modified > $after ORDER BY 2 LIMIT $limit
                        """);
                command.Parameters.AddWithValue("$match", match);
                command.Parameters.AddWithValue("$after", modifiedAfter?.UtcTicks ?? long.MinValue);
                command.Parameters.AddWithValue("$limit", maxResults + seen.Count);
                using var reader = command.ExecuteReader();
                while (reader.Read() && ranked.Count < maxResults)
                {
                    var id = reader.GetInt64(0);
                    if (seen.Add(id))
                    {
                        var relevance = Math.Max(0, -reader.GetDouble(1));
                        ranked.Add((id, tier + (relevance / (1 + relevance))));
                    }
                }
            }
            if (query.ExactPhrase is { } phrase)
            {
                Tier(phrase, 2);
            }
            Tier(query.All, 1);
            // A question's words rarely all stand in one document: documents holding some of them fill the list, by bm25.
            Tier(query.Any, 0);
            return [.. ranked.Select(r => Hit(r.Id, r.Score, query.Any, includeContent))];
        }
    }

    private FileHit Hit(long id, double score, string highlight, bool includeContent)
    {
        var command = SearchStatement($"""
            SELECT d.path, d.modified, d.mime, fts.title, snippet(fts, -1, '**', '**', '…', {SnippetTokens}){(includeContent ? ", fts.body" : "")}
            FROM fts JOIN docs d ON d.id = fts.rowid WHERE fts MATCH $match AND fts.rowid = $id
            """);
        command.Parameters.AddWithValue("$match", highlight);
        command.Parameters.AddWithValue("$id", id);
        using var reader = command.ExecuteReader();
        reader.Read();
        return new FileHit(
            reader.GetString(0),
            reader.GetString(3),
            reader.GetString(4),
            new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero),
            reader.GetString(2),
            score,
            includeContent ? reader.GetString(5) : null);
    }

    private static void AddStamp(SqliteCommand command, IndexedFile file)
    {
        command.Parameters.AddWithValue("$modified", file.Modified.UtcTicks);
        command.Parameters.AddWithValue("$size", file.Size);
        command.Parameters.AddWithValue("$mime", file.MimeType);
    }

    private SqliteCommand Command(string sql, SqliteTransaction? transaction = null)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private SqliteCommand SearchStatement(string sql)
    {
        if (_searchStatements.TryGetValue(sql, out var command))
        {
            command.Parameters.Clear();
            return command;
        }
        command = Command(sql);
        _searchStatements[sql] = command;
        return command;
    }

    private void Execute(string sql)
    {
        using var command = Command(sql);
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        foreach (var command in _searchStatements.Values)
        {
            command.Dispose();
        }
        _connection.Dispose();
    }
}
