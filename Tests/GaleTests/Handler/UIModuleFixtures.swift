import Gale

// The UI modules and pages of UIModuleResourceTests, the same as those of the Tornado application
// whose output the tests expect (Tornado 6.6.1; the modules below are written there as
// `tornado.web.UIModule` subclasses with the same resources).

/// Every resource kind; its script paths mix relative, rooted, `http:`, `https:` and `//` ones,
/// and repeat one.
final class ResourceWidgetModule: UIModule {
    override func render(_ arguments: TemplateArguments) throws -> String {
        "<i>\(arguments.value(0, "label")?.text ?? "")</i>"
    }
    override func embeddedJavascript() throws -> String? { "widget()" }
    override func javascriptFiles() throws -> [String]? {
        ["app.js", "/abs.js", "http://cdn.example/x.js", "//cdn.example/y.js", "https://cdn.example/z.js", "app.js"]
    }
    override func embeddedCSS() throws -> String? { ".w { color: red }" }
    override func cssFiles() throws -> [String]? { ["site.css", "https://cdn.example/z.css"] }
    override func htmlHead() throws -> String? { #"<meta name="w">"# }
    override func htmlBody() throws -> String? { #"<div id="w-end"></div>"# }
}

/// Shares a script and a style sheet with the widget.
final class ResourceChartModule: UIModule {
    override func render(_ arguments: TemplateArguments) throws -> String { "<canvas></canvas>" }
    override func embeddedJavascript() throws -> String? { "chart()" }
    override func javascriptFiles() throws -> [String]? { ["/abs.js"] }  // Tornado's: "/abs.js"
    override func embeddedCSS() throws -> String? { ".c { }" }
    override func cssFiles() throws -> [String]? { ["site.css", "/c.css"] }
    override func htmlHead() throws -> String? { #"<meta name="c">"# }
    override func htmlBody() throws -> String? { "<p>c</p>" }
}

/// Renders its own template (Tornado's blog demo's `EntryModule`), which uses another module.
final class ResourceEntryModule: UIModule {
    override func render(_ arguments: TemplateArguments) throws -> String {
        try renderString("modules/entry.html", ["entry": arguments.value(0, "entry") ?? .none])
    }
    override func cssFiles() throws -> [String]? { ["entry.css"] }
    override func embeddedJavascript() throws -> String? { "entries()" }
}

/// No resources.
final class ResourcePlainModule: UIModule {
    override func render(_ arguments: TemplateArguments) throws -> String { "plain" }
}

/// Renders `<name>.html` from the path, with `entries` = [1, 2].
final class ResourcePageHandler: RequestHandler {
    override func get() throws { try render(pathArgs[0] + ".html", ["entries": [1, 2]]) }
}

/// The four hooks overridden, to show what they are given.
final class ResourceHooksHandler: RequestHandler {
    override func get() throws { try render("modules.html") }
    override func renderLinkedJS(_ files: [String]) throws -> String { "JS[" + files.joined(separator: ",") + "]" }
    override func renderEmbedJS(_ scripts: [String]) throws -> String { "EJS[" + scripts.joined(separator: "|") + "]" }
    override func renderLinkedCSS(_ files: [String]) throws -> String { "CSS[" + files.joined(separator: ",") + "]" }
    override func renderEmbedCSS(_ styles: [String]) throws -> String { "ECSS[" + styles.joined(separator: "|") + "]" }
}

/// Renders a fragment with `renderString`, then the page around it.
final class ResourceTwoStepHandler: RequestHandler {
    override func get() throws {
        let fragment = try renderString("fragment.html")
        try render("outer.html", ["fragment": .string(fragment)])
    }
}

enum UIModuleFixtures {
    static let modules: [String: UIModule.Type] = [
        "Widget": ResourceWidgetModule.self, "Chart": ResourceChartModule.self, "Entry": ResourceEntryModule.self,
        "Plain": ResourcePlainModule.self,
    ]

    /// The static files; their content versions are in the expected URLs.
    static let staticFiles = ["static/app.js": "console.log(1)\n", "static/site.css": "body { margin: 0 }\n"]

    /// The pages of the Tornado comparison, as the Tornado application had them.
    static let pages: [String: String] = [
        "modules.html":
            #"<html><head><title>t</title></head><body>{% module Widget('a') %}{% module Chart() %}{% module Widget('b') %}</body></html>"#,
        "plain.html": #"<p>no head</p>{% module Plain() %} {{ 1 + 1 }}"#,
        "tornado.html": #"""
        <html><head></head><body>
        {% for e in entries %}
        {% module Template("entry.html", entry=e) %}
        {% end %}
        </body></html>
        """#,
        "entry.html": #"""
        {{ set_resources(embedded_css=".entry { margin-bottom: 1em; }",
                         embedded_javascript="js_embed()",
                         css_files=["/base.css", "/foo.css"],
                         javascript_files="/common.js",
                         html_head="<meta>",
                         html_body='<script src="/analytics.js"/>') }}
        <div class="entry">{{ entry }}</div>
        """#,
        "two.html":
            #"<html><head></head><body>{% module Template('a.html', x=1) %}{% module Template('b.html', x=2) %}{% module Template('a.html', x=3) %}</body></html>"#,
        "a.html":
            #"{{ set_resources(javascript_files=['a.js', '/a2.js'], embedded_javascript='a()', embedded_css='.a{}', html_body='<i>A</i>', html_head='<b>a</b>') }}A{{ x }}"#,
        "b.html":
            #"{{ set_resources(javascript_files='/b.js', css_files='b.css', embedded_javascript='b()', html_body='<i>B</i>') }}B{{ x }}"#,
        "entries.html": #"<html><head></head><body>{% for e in entries %}{% module Entry(e) %}{% end %}</body></html>"#,
        "modules/entry.html": #"<p>{{ entry }}</p>{% module Chart() %}"#,
        "twobodies.html": #"<html><head></head><body>x</body><body>y</body></html>{% module Chart() %}"#,
    ]

    /// Tornado 6.6.1's bytes for each page (tornado.web.RequestHandler.render, same templates,
    /// same static files), recorded from a run of the equivalent Tornado application.
    static let tornadoOutput: [String: String] = [
        "/modules": #"""
        <html><head><title>t</title><link href="/static/site.css?v=18d683f7da63c35daf12afa2b8d5b20a7d7b0fe84fb95d5a569d3a37b72c3d5cd572f964c83c0909372dba53bc46136ef6dcd7bc4a8fe3d75918c9a2c23f7e31" type="text/css" rel="stylesheet"/><link href="https://cdn.example/z.css" type="text/css" rel="stylesheet"/><link href="/c.css" type="text/css" rel="stylesheet"/>
        <style type="text/css">
        .w { color: red }
        .c { }
        </style>
        <meta name="w"><meta name="c">
        </head><body><i>a</i><canvas></canvas><i>b</i><script src="/static/app.js?v=b2144b1fda205a556ab3e6bf59c738c079b0f97458c8b2690d106d30ff3d612fdbf7a1e24cb5c3867baff33def7e2481b010d6c7a59d02d75c7d93bf58b2cb39" type="text/javascript"></script><script src="/abs.js" type="text/javascript"></script><script src="http://cdn.example/x.js" type="text/javascript"></script><script src="//cdn.example/y.js" type="text/javascript"></script><script src="https://cdn.example/z.js" type="text/javascript"></script>
        <script type="text/javascript">
        //<![CDATA[
        widget()
        chart()
        //]]>
        </script>
        <div id="w-end"></div><p>c</p>
        </body></html>
        """#,
        "/plain": #"<p>no head</p>plain 2"#,
        "/tornado": #"""
        <html><head><link href="/base.css" type="text/css" rel="stylesheet"/><link href="/foo.css" type="text/css" rel="stylesheet"/>
        <style type="text/css">
        .entry { margin-bottom: 1em; }
        </style>
        <meta>
        </head><body>


        <div class="entry">1</div>


        <div class="entry">2</div>

        <script src="/common.js" type="text/javascript"></script>
        <script type="text/javascript">
        //<![CDATA[
        js_embed()
        //]]>
        </script>
        <script src="/analytics.js"/>
        </body></html>
        """#,
        "/two": #"""
        <html><head><link href="/static/b.css" type="text/css" rel="stylesheet"/>
        <style type="text/css">
        .a{}
        </style>
        <b>a</b>
        </head><body>A1B2A3<script src="/static/a.js" type="text/javascript"></script><script src="/a2.js" type="text/javascript"></script><script src="/b.js" type="text/javascript"></script>
        <script type="text/javascript">
        //<![CDATA[
        a()
        b()
        //]]>
        </script>
        <i>A</i><i>B</i>
        </body></html>
        """#,
        "/twobodies": #"""
        <html><head><link href="/static/site.css?v=18d683f7da63c35daf12afa2b8d5b20a7d7b0fe84fb95d5a569d3a37b72c3d5cd572f964c83c0909372dba53bc46136ef6dcd7bc4a8fe3d75918c9a2c23f7e31" type="text/css" rel="stylesheet"/><link href="/c.css" type="text/css" rel="stylesheet"/>
        <style type="text/css">
        .c { }
        </style>
        <meta name="c">
        </head><body>x<p>c</p>
        </body><body>y<script src="/abs.js" type="text/javascript"></script>
        <script type="text/javascript">
        //<![CDATA[
        chart()
        //]]>
        </script>
        </body></html><canvas></canvas>
        """#,
        "/hooks": #"""
        <html><head><title>t</title>CSS[site.css,https://cdn.example/z.css,site.css,/c.css]
        ECSS[.w { color: red }|.c { }]
        <meta name="w"><meta name="c">
        </head><body><i>a</i><canvas></canvas><i>b</i>JS[app.js,/abs.js,http://cdn.example/x.js,//cdn.example/y.js,https://cdn.example/z.js,app.js,/abs.js]
        EJS[widget()|chart()]
        <div id="w-end"></div><p>c</p>
        </body></html>
        """#,
        "/entries": #"""
        <html><head><link href="/static/entry.css" type="text/css" rel="stylesheet"/><link href="/static/site.css?v=18d683f7da63c35daf12afa2b8d5b20a7d7b0fe84fb95d5a569d3a37b72c3d5cd572f964c83c0909372dba53bc46136ef6dcd7bc4a8fe3d75918c9a2c23f7e31" type="text/css" rel="stylesheet"/><link href="/c.css" type="text/css" rel="stylesheet"/>
        <style type="text/css">
        .c { }
        </style>
        <meta name="c">
        </head><body><p>1</p><canvas></canvas><p>2</p><canvas></canvas><script src="/abs.js" type="text/javascript"></script>
        <script type="text/javascript">
        //<![CDATA[
        entries()
        chart()
        //]]>
        </script>
        <p>c</p>
        </body></html>
        """#,
    ]
}
