/** Where log lines go: standard error, written in batches (see {@link org.postwerk.log.BatchedStderrAppender}). */
package org.postwerk.log;
