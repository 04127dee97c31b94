use codegen::{generate, CrateConfig, Selection};
fn show(name: &str, bytes: &[u8]) {
    let t = std::time::Instant::now();
    let r = generate(bytes, &Selection::default(), &CrateConfig::default());
    println!("=== {name} ({:?})", t.elapsed());
    match r {
        Ok(g) => { println!("OK, {} files", g.files.len()); for d in g.diagnostics.sorted() { println!("{d:?}"); } }
        Err(d) => for d in d.sorted() { println!("{d:?}"); },
    }
}
const HEAD: &str = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\n";
#[test]
fn probe() {
    show("empty", b"");
    show("notyaml", b"a: [b");
    show("binary", &[0xff, 0xfe, 0x00, 0x80]);
    show("nul", b"openapi: 3.0.3\x00\x00\x00");
    show("nul2", b"\x00\x00\x00\x00");
    show("swagger", b"swagger: '2.0'\ninfo: {title: T, version: '1'}\npaths: {}\n");
    show("3.1", b"openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\n");
    show("paths42", format!("{HEAD}paths: 42\n").as_bytes());
    show("info[]", b"openapi: 3.0.3\ninfo: []\npaths: {}\n");
    show("props7", format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties: 7\n").as_bytes());
    show("inbody", format!("{HEAD}paths:\n  /a:\n    get:\n      operationId: a\n      parameters:\n        - name: x\n          in: body\n          schema: {{type: string}}\n      responses:\n        '200': {{description: ok}}\n").as_bytes());
    let n = 100_000;
    let deep = format!("{HEAD}paths: {{}}\nx-deep: {}{}\n", "[".repeat(n), "]".repeat(n));
    show("deep[", deep.as_bytes());
    let deepmap = format!("{HEAD}paths: {{}}\nx-deep: {}1{}\n", "{a: ".repeat(n), "}".repeat(n));
    show("deep{", deepmap.as_bytes());
    let mut deepblock = String::from(HEAD); deepblock.push_str("paths: {}\nx:\n");
    for i in 0..2000 { deepblock.push_str(&" ".repeat(i+1)); deepblock.push_str("a:\n"); }
    show("deepblock", deepblock.as_bytes());
    let bomb = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
    show("bomb", bomb.as_bytes());
}
