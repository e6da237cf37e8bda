using System.Globalization;
using System.Text;
using Workplace.Emulators.Google.Workspace;

namespace Workplace.Emulators.Google.Drive;

/// <summary>A parsed <c>q</c> of files.list: a predicate over the files a caller can see.</summary>
public abstract record DriveQuery
{
    /// <summary>Whether the query has a <c>fullText</c> term (then results come by relevance and orderBy is refused).</summary>
    public abstract bool HasFullText { get; }

    /// <summary>The words the <c>fullText</c> terms look for, for ranking.</summary>
    public abstract IEnumerable<string> FullTextWords { get; }

    public abstract bool Matches(DriveFile file, DriveFileView view);

    /// <summary>Parses Drive's query language; null when <paramref name="q"/> is not valid in it (Google: 400 "Invalid Value").</summary>
    public static DriveQuery? Parse(string q)
    {
        try
        {
            var parser = new Parser(Tokenize(q));
            var query = parser.ParseOr();
            return parser.AtEnd ? query : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private sealed record And(DriveQuery Left, DriveQuery Right) : DriveQuery
    {
        public override bool HasFullText => Left.HasFullText || Right.HasFullText;

        public override IEnumerable<string> FullTextWords => Left.FullTextWords.Concat(Right.FullTextWords);

        public override bool Matches(DriveFile file, DriveFileView view) => Left.Matches(file, view) && Right.Matches(file, view);
    }

    private sealed record Or(DriveQuery Left, DriveQuery Right) : DriveQuery
    {
        public override bool HasFullText => Left.HasFullText || Right.HasFullText;

        public override IEnumerable<string> FullTextWords => Left.FullTextWords.Concat(Right.FullTextWords);

        public override bool Matches(DriveFile file, DriveFileView view) => Left.Matches(file, view) || Right.Matches(file, view);
    }

    private sealed record Not(DriveQuery Inner) : DriveQuery
    {
        public override bool HasFullText => Inner.HasFullText;

        public override IEnumerable<string> FullTextWords => [];

        public override bool Matches(DriveFile file, DriveFileView view) => !Inner.Matches(file, view);
    }

    private sealed record Term(Func<DriveFile, DriveFileView, bool> Predicate, IReadOnlyList<string> Words, bool IsFullText) : DriveQuery
    {
        public override bool HasFullText => IsFullText;

        public override IEnumerable<string> FullTextWords => Words;

        public override bool Matches(DriveFile file, DriveFileView view) => Predicate(file, view);
    }

    private enum Kind { Word, String, Operator, Open, Close }

    private readonly record struct Token(Kind Kind, string Text);

    private static List<Token> Tokenize(string q)
    {
        var tokens = new List<Token>();
        for (var i = 0; i < q.Length;)
        {
            var c = q[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is '(' or ')')
            {
                tokens.Add(new Token(c == '(' ? Kind.Open : Kind.Close, c.ToString()));
                i++;
            }
            else if (c == '\'')
            {
                var text = new StringBuilder();
                for (i++; ; i++)
                {
                    if (i >= q.Length)
                    {
                        throw new FormatException("Unterminated string.");
                    }
                    if (q[i] == '\\' && i + 1 < q.Length)
                    {
                        text.Append(q[++i]);
                    }
                    else if (q[i] == '\'')
                    {
                        i++;
                        break;
                    }
                    else
                    {
                        text.Append(q[i]);
                    }
                }
                tokens.Add(new Token(Kind.String, text.ToString()));
            }
            else if (c is '=' or '!' or '<' or '>')
            {
                var op = i + 1 < q.Length && q[i + 1] == '=' ? q.Substring(i, 2) : c.ToString();
                if (op == "!")
                {
                    throw new FormatException("'!' without '='.");
                }
                tokens.Add(new Token(Kind.Operator, op));
                i += op.Length;
            }
            else if (char.IsLetter(c))
            {
                var start = i;
                while (i < q.Length && (char.IsLetterOrDigit(q[i]) || q[i] == '_'))
                {
                    i++;
                }
                tokens.Add(new Token(Kind.Word, q[start..i]));
            }
            else
            {
                throw new FormatException($"Unexpected '{c}'.");
            }
        }
        return tokens;
    }

    private sealed class Parser(List<Token> tokens)
    {
        private int _at;

        public bool AtEnd => _at == tokens.Count;

        public DriveQuery ParseOr()
        {
            var left = ParseAnd();
            while (TakeWord("or"))
            {
                left = new Or(left, ParseAnd());
            }
            return left;
        }

        private DriveQuery ParseAnd()
        {
            var left = ParseUnary();
            while (TakeWord("and"))
            {
                left = new And(left, ParseUnary());
            }
            return left;
        }

        private DriveQuery ParseUnary()
        {
            if (TakeWord("not"))
            {
                return new Not(ParseUnary());
            }
            if (Peek()?.Kind == Kind.Open)
            {
                _at++;
                var inner = ParseOr();
                if (Next().Kind != Kind.Close)
                {
                    throw new FormatException("Missing ')'.");
                }
                return inner;
            }
            return ParseTerm();
        }

        private Term ParseTerm()
        {
            var first = Next();
            if (first.Kind == Kind.String)
            {
                // 'value' in parents|owners|writers|readers
                if (!TakeWord("in"))
                {
                    throw new FormatException("Expected 'in'.");
                }
                var collection = Next();
                var value = first.Text;
                return collection is { Kind: Kind.Word, Text: "parents" } ? Predicate((f, v) => f.Parents.Contains(value == "root" ? v.Root : value))
                    : collection is { Kind: Kind.Word, Text: "owners" } ? Predicate((f, _) => f.OwnerEmail is { } owner && Same(owner, value))
                    : collection is { Kind: Kind.Word, Text: "writers" or "readers" } ? Predicate((f, _) => f.ReaderEmails.Any(r => Same(r, value)))
                    : throw new FormatException("Unknown collection.");
            }
            if (first.Kind != Kind.Word)
            {
                throw new FormatException("Expected a field.");
            }
            var op = Next();
            var isContains = op is { Kind: Kind.Word, Text: "contains" };
            if (op.Kind != Kind.Operator && !isContains)
            {
                throw new FormatException("Expected an operator.");
            }
            var operand = Next();
            switch (first.Text)
            {
                case "name" when operand.Kind == Kind.String:
                    var name = operand.Text;
                    return isContains ? Predicate((f, _) => DriveText.NameHasPrefix(f.Name, name))
                        : op.Text == "=" ? Predicate((f, _) => f.Name == name)
                        : op.Text == "!=" ? Predicate((f, _) => f.Name != name)
                        : throw new FormatException("name takes contains, = or !=.");
                case "fullText" when isContains && operand.Kind == Kind.String:
                    var phrase = operand.Text;
                    var words = DriveText.Words(phrase.Trim('"')).ToList();
                    return new Term((f, _) => f.Text.Contains(phrase), words, IsFullText: true);
                case "mimeType" when operand.Kind == Kind.String:
                    var mime = operand.Text;
                    return isContains ? Predicate((f, _) => f.MimeType.Contains(mime, StringComparison.Ordinal))
                        : op.Text == "=" ? Predicate((f, _) => f.MimeType == mime)
                        : op.Text == "!=" ? Predicate((f, _) => f.MimeType != mime)
                        : throw new FormatException("mimeType takes contains, = or !=.");
                case "modifiedTime" or "createdTime" when !isContains && operand.Kind == Kind.String:
                    if (!DateTimeOffset.TryParse(operand.Text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
                    {
                        throw new FormatException("Not an RFC 3339 time.");
                    }
                    var created = first.Text == "createdTime";
                    var compare = Comparison(op.Text);
                    return Predicate((f, _) => compare((created ? f.Created : f.Modified).CompareTo(time)));
                case "trashed" or "starred" or "sharedWithMe" when !isContains && operand is { Kind: Kind.Word, Text: "true" or "false" }:
                    var wanted = operand.Text == "true";
                    var equal = op.Text switch { "=" => true, "!=" => false, _ => throw new FormatException("Booleans take = or !=.") };
                    Func<DriveFile, DriveFileView, bool> read = first.Text switch
                    {
                        "trashed" => (f, _) => f.Trashed,
                        "starred" => (_, _) => false,
                        _ => (f, v) => v.SharedWithMe,
                    };
                    return Predicate((f, v) => read(f, v) == wanted == equal);
                default:
                    throw new FormatException($"Unsupported term on '{first.Text}'.");
            }
        }

        private static Func<int, bool> Comparison(string op) => op switch
        {
            "<" => c => c < 0,
            "<=" => c => c <= 0,
            "=" => c => c == 0,
            "!=" => c => c != 0,
            ">" => c => c > 0,
            ">=" => c => c >= 0,
            _ => throw new FormatException("Unknown comparison."),
        };

        private static Term Predicate(Func<DriveFile, DriveFileView, bool> predicate) => new(predicate, [], IsFullText: false);

        private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

        private Token? Peek() => _at < tokens.Count ? tokens[_at] : null;

        private Token Next() => _at < tokens.Count ? tokens[_at++] : throw new FormatException("Unexpected end.");

        private bool TakeWord(string word)
        {
            if (Peek() is { Kind: Kind.Word } token && string.Equals(token.Text, word, StringComparison.Ordinal))
            {
                _at++;
                return true;
            }
            return false;
        }
    }
}
