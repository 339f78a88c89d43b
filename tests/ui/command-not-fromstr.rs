use dingbot::DingCommand;

struct Matchers(Vec<String>);

#[derive(DingCommand)]
enum Command {
    Silence { matchers: Matchers },
}

fn main() {}
