namespace Workplace.McpApi.Mcp;

/// <summary>The wire names this endpoint relies on (the SDK keeps its own copies internal).</summary>
public static class McpProtocol
{
    public const string July2026 = "2026-07-28";
    public const string November2025 = "2025-11-25";
    public const string June2025 = "2025-06-18";

    public const string ProtocolVersionHeader = "MCP-Protocol-Version";
    public const string MethodHeader = "Mcp-Method";
    public const string NameHeader = "Mcp-Name";

    /// <summary>Revisions served, newest first. The older two still use the initialize handshake.</summary>
    public static IReadOnlyList<string> SupportedVersions { get; } = [July2026, November2025, June2025, "2025-03-26", "2024-11-05"];

    /// <summary>Revisions without initialize: every request carries its version and capabilities in <c>_meta</c>.</summary>
    public static IReadOnlyList<string> PerRequestMetadataVersions { get; } = [July2026];

    public static bool RequiresPerRequestMetadata(string? version) =>
        !string.IsNullOrEmpty(version) && string.CompareOrdinal(version, July2026) >= 0;
}
