using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Workplace.Emulators.Google.Workspace;
using Workplace.Emulators.Graph;
using Workplace.Emulators.Notion;

namespace Workplace.Tests.Emulators;

/// <summary>The emulators' document edits (<c>POST /admin/{provider}/documents/{id}</c>), on an emulator of this class's own.</summary>
public sealed class DocumentEditTests(EmulatorsHost emulators) : IClassFixture<EmulatorsHost>
{
    [Fact]
    public async Task An_edit_replaces_the_content_and_moves_each_providers_version_on()
    {
        using var admin = new HttpClient { BaseAddress = emulators.BaseAddress };
        var file = DriveWorkspace.Sample.Files.Single(f => f.Name == "Sales kickoff 2026 agenda");
        var page = emulators.Services.GetRequiredService<NotionWorkspace>().Pages.Single(p => p.Slug == "glossary");
        var graph = emulators.Services.GetRequiredService<GraphWorkspace>();
        var item = graph.Items.Single(i => i.Name == "Pemberton Freight case notes.txt");

        var drive = await EditAsync(admin, $"/admin/google/documents/{file.Id}", "Kickoff moved to March.");
        var notion = await EditAsync(admin, $"/admin/notion/documents/{page.Id}", "Terms moved to the wiki.");
        var sharePoint = await EditAsync(admin, $"/admin/graph/documents/{item.Id}", "Case closed.");

        Assert.Equal("2", drive);
        Assert.Equal("Kickoff moved to March.", emulators.Services.GetRequiredService<DriveDocuments>().Find(file.Id)!.Markdown());
        Assert.Equal("3", await EditAsync(admin, $"/admin/google/documents/{file.Id}", "Kickoff moved to April."));
        Assert.Equal(1, DriveWorkspace.Sample.Find(file.Id)!.Version);
        Assert.Equal(0, page.Edited.Second);
        Assert.Equal(NotionObjects.Time(page.Edited), notion);
        Assert.True(page.Edited > DateTimeOffset.UtcNow.AddMinutes(-2));
        Assert.Equal($"\"c:{{{item.ETagGuid}}},2\"", sharePoint);
        Assert.Equal("Case closed.", System.Text.Encoding.UTF8.GetString(graph.FindItem(item.Id)!.Content));
    }

    [Theory]
    [InlineData("google", "{}", HttpStatusCode.BadRequest)]
    [InlineData("notion", "{}", HttpStatusCode.BadRequest)]
    [InlineData("graph", "{}", HttpStatusCode.BadRequest)]
    [InlineData("notion", "{\"text\":\"@child_page(glossary)\"}", HttpStatusCode.BadRequest)]
    public async Task An_edit_without_text_or_with_what_an_edit_cannot_hold_is_refused(string provider, string body, HttpStatusCode status)
    {
        using var admin = new HttpClient { BaseAddress = emulators.BaseAddress };
        var id = provider switch
        {
            "google" => DriveWorkspace.Sample.Files.Single(f => f.Name == "Console roadmap draft (old)").Id,
            "notion" => emulators.Services.GetRequiredService<NotionWorkspace>().Pages.Single(p => p.Slug == "okrs-2026-q1").Id.ToString(),
            _ => emulators.Services.GetRequiredService<GraphWorkspace>().Items.Single(i => i.Name == "Calloway Grocers call log.txt").Id,
        };

        using var response = await admin.PostAsync($"/admin/{provider}/documents/{Uri.EscapeDataString(id)}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(status, response.StatusCode);
    }

    [Theory]
    [InlineData("google", "1doesNotExist")]
    [InlineData("google", "FOLDER")]
    [InlineData("notion", "not-a-guid")]
    [InlineData("notion", "00000000-0000-4000-8000-000000000000")]
    [InlineData("graph", "01NOSUCHITEM")]
    [InlineData("graph", "DOCX")]
    public async Task An_edit_of_no_such_document_or_one_without_editable_text_is_not_found(string provider, string id)
    {
        using var admin = new HttpClient { BaseAddress = emulators.BaseAddress };
        id = id switch
        {
            "FOLDER" => DriveWorkspace.Sample.Files.Single(f => f.Name == "Runbooks").Id,
            "DOCX" => emulators.Services.GetRequiredService<GraphWorkspace>().Items.Single(i => i.Name == "Q1 2026 forecast.docx").Id,
            _ => id,
        };

        using var response = await admin.PostAsJsonAsync($"/admin/{provider}/documents/{Uri.EscapeDataString(id)}", new { text = "new text" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static async Task<string> EditAsync(HttpClient admin, string path, string text)
    {
        using var response = await admin.PostAsJsonAsync(path, new { text });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("version").GetString()!;
    }
}
