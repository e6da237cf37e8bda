using System.Text.Json;

namespace Workplace.McpApi.Tools;

/// <summary>
/// The tools' JSON Schemas (2020-12), written out rather than derived from C# types so that the limits an agent
/// sees (lengths, ranges, enums) are the ones the tools enforce.
/// </summary>
public static class ToolSchemas
{
    public static JsonElement Parse(string schema)
    {
        using var document = JsonDocument.Parse(schema);
        return document.RootElement.Clone();
    }

    public const string SearchInput = """
    {
      "type": "object",
      "properties": {
        "query": { "type": "string", "minLength": 1, "maxLength": 500, "description": "What to look for, in plain words (1-500 characters)." },
        "sources": {
          "type": "array",
          "items": { "type": "string", "enum": ["google_drive", "notion", "sharepoint", "files"] },
          "minItems": 1, "maxItems": 5, "uniqueItems": true,
          "description": "Sources to search. Omit to search every source your token grants."
        },
        "max_results": { "type": "integer", "minimum": 1, "maximum": 50, "default": 10, "description": "How many results to return in total (1-50)." },
        "include_content": { "type": "boolean", "default": false, "description": "Include each document's text (Markdown) in the results." },
        "modified_after": { "type": "string", "format": "date-time", "description": "Only documents modified after this RFC 3339 time, e.g. 2026-01-31T00:00:00Z." },
        "cursor": { "type": "string", "minLength": 1, "maxLength": 2048, "description": "next_cursor of the previous page of this same search (same query, sources and modified_after): returns the results after it, without repeats." }
      },
      "required": ["query"],
      "additionalProperties": false
    }
    """;

    public const string SearchOutput = """
    {
      "type": "object",
      "properties": {
        "results": {
          "type": "array",
          "items": {
            "type": "object",
            "properties": {
              "id": { "type": "string", "description": "Pass to fetch." },
              "source": { "type": "string" },
              "title": { "type": "string" },
              "url": { "type": "string" },
              "snippet": { "type": "string" },
              "modified": { "type": "string", "format": "date-time" },
              "author": { "type": "string" },
              "mime_type": { "type": "string" },
              "score": { "type": "number", "description": "Relevance to the whole query: text match of title and snippet, the source's own rank and recency; higher is better." },
              "content": { "type": "string", "description": "With include_content: the document as Markdown from its start. All results share a budget of characters evenly." },
              "content_truncated": { "type": "boolean", "description": "True when content stops before the document's end: read on with fetch from offset = the length of content." },
              "content_error": { "type": "string", "description": "With include_content: why this result has no content, and what to do." }
            },
            "required": ["id", "source", "title", "url", "snippet", "modified", "score"]
          }
        },
        "sources": {
          "type": "array",
          "items": {
            "type": "object",
            "properties": {
              "source": { "type": "string" },
              "status": { "type": "string", "enum": ["ok", "timeout", "error", "rate_limited", "unauthorized", "not_connected", "not_deployed"] },
              "count": { "type": "integer" },
              "latency_ms": { "type": "integer" },
              "message": { "type": "string", "description": "What went wrong and what to do." },
              "connect_url": { "type": "string", "format": "uri", "description": "With not_connected: open it in a browser to connect the source, then search again. Valid for 10 minutes, for you only." },
              "paused_until": { "type": "string", "format": "date-time", "description": "The source is paused after repeated failures of its provider until this time." }
            },
            "required": ["source", "status", "count", "latency_ms"]
          }
        },
        "next_cursor": { "type": "string", "description": "Present when more results exist: pass it as cursor, with the same arguments, for the next page." }
      },
      "required": ["results", "sources"]
    }
    """;

    public const string FetchInput = """
    {
      "type": "object",
      "properties": {
        "id": { "type": "string", "minLength": 3, "maxLength": 512, "description": "A document id exactly as search returned it, e.g. files:cmVhZG1lLm1k." },
        "offset": { "type": "integer", "minimum": 0, "default": 0, "description": "Character offset to start at; use next_offset from the previous fetch." },
        "max_chars": { "type": "integer", "minimum": 1, "maximum": 100000, "default": 20000, "description": "How many characters to return (1-100000)." }
      },
      "required": ["id"],
      "additionalProperties": false
    }
    """;

    public const string FetchOutput = """
    {
      "type": "object",
      "properties": {
        "id": { "type": "string" },
        "source": { "type": "string" },
        "title": { "type": "string" },
        "url": { "type": "string" },
        "modified": { "type": "string", "format": "date-time" },
        "mime_type": { "type": "string" },
        "content": { "type": "string", "description": "Markdown, from offset." },
        "offset": { "type": "integer" },
        "total_chars": { "type": "integer" },
        "next_offset": { "type": ["integer", "null"], "description": "Where the next fetch starts; null at the end." },
        "truncated": { "type": "boolean", "description": "True when more of the document follows next_offset." }
      },
      "required": ["id", "source", "title", "url", "modified", "content", "offset", "total_chars", "next_offset", "truncated"]
    }
    """;

    public const string ListSourcesInput = """
    { "type": "object", "properties": {}, "additionalProperties": false }
    """;

    public const string ListSourcesOutput = """
    {
      "type": "object",
      "properties": {
        "sources": {
          "type": "array",
          "items": {
            "type": "object",
            "properties": {
              "source": { "type": "string" },
              "title": { "type": "string" },
              "granted": { "type": "boolean", "description": "Your token grants this source." },
              "connected": { "type": "boolean", "description": "You have connected this source (or it needs no connecting) and it can be searched." },
              "emulated": { "type": "boolean", "description": "The source talks to an emulated provider with sample data (Workplace.Emulators), not the real service." },
              "connect_url": { "type": "string", "format": "uri", "description": "The source needs connecting: open this in a browser to connect it. Valid for 10 minutes, for you only." },
              "paused_until": { "type": "string", "format": "date-time", "description": "The source is paused after repeated failures of its provider until this time." },
              "description": { "type": "string", "description": "What the source holds and what its search matches." }
            },
            "required": ["source", "title", "granted", "connected", "emulated"]
          }
        }
      },
      "required": ["sources"]
    }
    """;
}
