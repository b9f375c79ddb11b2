// The hand-written history, each migration in a file of its own (create_blog.cpp is the one
// the test replaces with what migrate:freeze prints).
#pragma once

#include <jsorm/jsorm.hpp>

extern const jsorm::Migration createBlog;
extern const jsorm::Migration seedAuthors;
