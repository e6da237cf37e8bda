namespace Workplace.Connectors.Content;

/// <summary>A document turned into Markdown; <see cref="Title"/> is null when the document names none.</summary>
public sealed record ConvertedDocument(string? Title, string Markdown);
