namespace Provisioner.Tests.Browser;

/// <summary>
/// The reference page at /docs in a real browser, without a key: it loads this API's document and shows its operations,
/// and asks nothing of any other host.
/// </summary>
[Collection(OpsCollection.Name)]
public sealed class ApiReferenceBrowserTests(OpsStack stack)
{
    [Fact]
    public async Task Docs_RendersTheOperations_FromThisApiAlone()
    {
        await using var tab = await OpsBrowserPage.OpenAsync(stack, nameof(Docs_RendersTheOperations_FromThisApiAlone));

        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        tab.Page.Console += (_, message) => errors.Enqueue($"{message.Type}: {message.Text}");
        tab.Page.PageError += (_, error) => errors.Enqueue("page error: " + error);
        var response = await tab.GotoAsync("/docs", "docs-opened");
        try
        {
            // The document's own words, and its operations grouped by tag in the sidebar. Rendering a document this size
            // takes Scalar a while on a loaded machine.
            await tab.Page.GetByText("Send a key as", new() { Exact = false }).First.WaitForAsync(new() { Timeout = 120_000 });
            foreach (var tag in new[] { "Instances", "Webhooks", "Costs", "Catalog", "Admin" })
            {
                await tab.Page.GetByText(tag, new() { Exact = true }).First.WaitForAsync();
            }
        }
        catch (TimeoutException)
        {
            await tab.ShotAsync("docs-not-rendered");
            throw new Xunit.Sdk.XunitException($"The page did not show the operations. It asked for:\n{string.Join("\n", tab.Requested)}\nIt said:\n{string.Join("\n", errors)}");
        }

        await tab.ShotAsync("docs-rendered");

        response!.Status.Should().Be(200);
        tab.Requested.Should().Contain(url => url.EndsWith("/openapi/v1.json", StringComparison.Ordinal), "the page reads this API's document");
        tab.Requested.Where(url => url.StartsWith("http", StringComparison.Ordinal))
            .Should().OnlyContain(url => url.StartsWith(stack.Api.BaseAddress.ToString().TrimEnd('/'), StringComparison.Ordinal), "nothing is fetched from elsewhere");
    }
}
