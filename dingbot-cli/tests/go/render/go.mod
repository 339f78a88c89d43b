module dingbot.test/render

go 1.19
