using System.Text.Json;
using Workplace.Connectors.Sources.Notion;

namespace Workplace.Tests.Sources.Notion;

public sealed class NotionPayloadTests
{
    [Fact]
    public void APageTitle_IsOneLine_WithoutControlOrDirectionCharacters()
    {
        var page = JsonSerializer.Deserialize("""
            {"object":"page","id":"0b6f1d5e-3c1a-4c55-9d4f-2a8e7f1b9c01","properties":{
              "Status":{"id":"a","type":"status","status":{"name":"Done"}},
              "Name":{"id":"title","type":"title","title":[{"type":"text","plain_text":"Plan\u202Eexe.txt"},{"type":"text","plain_text":"\n\u0007 v2"}]}}}
            """, NotionJsonContext.Default.NotionPage)!;
        Assert.Equal("Planexe.txt v2", page.Title);
    }

    [Fact]
    public void APageWithoutTitle_OrWithABrokenOne_IsUntitled()
    {
        var untitled = JsonSerializer.Deserialize("""{"object":"page","id":"x","properties":{"Name":{"type":"title","title":[]}}}""", NotionJsonContext.Default.NotionPage)!;
        var broken = JsonSerializer.Deserialize("""{"object":"page","id":"x","properties":{"Name":{"type":"title","title":{}},"Other":null}}""", NotionJsonContext.Default.NotionPage)!;
        Assert.Equal("(untitled)", untitled.Title);
        Assert.Equal("(untitled)", broken.Title);
    }
}
