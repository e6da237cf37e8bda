namespace Workplace.McpApi;

/// <summary>Names this assembly for hosts and tests (<c>WebApplicationFactory&lt;McpApiAssembly&gt;</c>), where <c>Program</c> is ambiguous.</summary>
public sealed class McpApiAssembly;
